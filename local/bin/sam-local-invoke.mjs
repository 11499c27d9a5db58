#!/usr/bin/env node
/**
 * `npx sam-local-invoke [<FunctionLogicalId>] [options]`: `npm run invoke` as a command of its own (the package's
 * bin), so that its stdout holds the function's result alone (`npm run` prints its banner there unless `-s`):
 * `npx sam-local-invoke ReserveRoomFunction -e events/reserve.json | jq .`. Runs local/invoke.ts with tsx, as the npm
 * script does; relative paths are read from the directory it is run in; its exit status is the command's.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const child = spawn(process.execPath, [tsx, path.join(projectRoot, 'local', 'invoke.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  // npx runs it where the user stands, and says so in INIT_CWD; run directly, that is the working directory.
  env: { ...process.env, INIT_CWD: process.env.INIT_CWD || process.cwd() },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
