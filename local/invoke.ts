/**
 * `npm run -s invoke -- <FunctionLogicalId> [-e events/<file>.json]` (or `npx sam-local-invoke ...`): runs one function
 * once, like `sam local invoke`, with its template environment, on this machine against the local cloud. The command
 * line is sam local invoke's (invoke-command-line.ts): -e/--event (- for standard input), --no-event, -n/--env-vars
 * (its JSON format, local/env-vars-file.ts), --parameter-overrides, -t/--template, -l/--log-file. As SAM does, it
 * writes the function's result (its error too) to stdout and the function's logs and its own lines to stderr, so the
 * result pipes into jq; exit status 0 when the function ran, 1 when it could not, 2 for a usage mistake.
 *
 * It uses the local DynamoDB and SES capture of a running `npm start` when they answer on their ports, and
 * otherwise starts them itself (on the same ports and the same .local data) for the length of the invocation. The
 * function's Date reads the local cloud's clock (`.local/sfn/clock.json`, moved by POST /_local/clock).
 */
import { readFileSync } from 'node:fs';
import { runInvoke } from './invoke/run';

runInvoke(process.argv.slice(2), {
  cwd: process.env.INIT_CWD || process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: () => readFileSync(0, 'utf8'),
}).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`Error: ${error.message}\n`);
    process.exit(1);
  },
);
