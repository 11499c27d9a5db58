/** `npm run invoke`'s command line, checked against the template before anything is built or started. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './cli-config';
import { checkEnvVarsFile, environmentOverrides, type DeclaredVariables } from './env-vars-file';

export const USAGE = [
  'usage: npm run invoke -- <FunctionLogicalId> [-e <event.json> | -e -] [-n <env.json>]',
  '  -e, --event      the event file (- reads standard input); default {}',
  "  -n, --env-vars   values for the function's template environment variables, in sam local invoke's format",
].join('\n');

export interface Invocation {
  functionId: string;
  event: unknown;
  /** The --env-vars file's values for the function's template variables; none without the option. */
  environment: Record<string, string>;
}

/**
 * `functions`: the template's functions and the variables each declares. `cwd`: where relative file names are
 * resolved, the caller's working directory (npm runs a script from the package root and passes the caller's
 * directory as INIT_CWD), as sam local invoke resolves them against the shell's.
 */
export function parseCommandLine(argv: string[], functions: DeclaredVariables, cwd: string): Invocation {
  let values: { event?: string; 'env-vars'?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { event: { type: 'string', short: 'e' }, 'env-vars': { type: 'string', short: 'n' } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? 'name the function to invoke'
        : `one function at a time, got ${positionals.join(', ')}`,
    );
  const [functionId] = positionals;
  const declared = functions.get(functionId);
  if (!declared)
    throw new UsageError(
      `template.yaml has no function ${functionId}; its functions are: ${[...functions.keys()].join(', ')}`,
    );
  const event = values.event === undefined ? {} : readJson(values.event, 'event file', cwd);
  const envVarsFile = values['env-vars'];
  if (envVarsFile === undefined) return { functionId, event, environment: {} };
  const envVars = checkEnvVarsFile(readJson(envVarsFile, 'env-vars file', cwd), envVarsFile, functions);
  return { functionId, event, environment: environmentOverrides(envVars, functionId, declared) };
}

/** A JSON file named on the command line (- is standard input). */
function readJson(file: string, what: string, cwd: string): unknown {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : path.resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the ${what} ${file} is not valid JSON: ${(error as Error).message}`);
  }
}
