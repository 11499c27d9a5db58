/**
 * SAM's `--env-vars` file (`sam local invoke -n env.json`), read as SAM CLI reads it (samcli/commands/local/lib/
 * local_lambda.py `_make_env_vars`, samcli/local/lambdafn/env_vars.py) so that one file serves both commands:
 *
 *   {"Parameters": {"VAR": "value"}, "<FunctionLogicalId>": {"VAR": "value"}}
 *
 * A function's value of a variable is its own entry's, else the Parameters entry's, else the template's; and only
 * variables the function's template Environment declares (its own or Globals') are set: SAM passes no other
 * variable into the container, so a name the function does not declare is ignored for that function.
 *
 * Stricter than SAM, which silently ignores what it cannot use: a usage error names an entry that is not a function
 * of the template, a function entry's variable that function does not declare, and a Parameters variable no
 * function declares. Each is a typo that would otherwise leave the template's value in place without a word.
 */
import { UsageError } from './cli-config';

/** Variable values by function logical id, and under `Parameters` for every function that declares them. */
export type EnvVarsFile = Record<string, Record<string, string>>;

/** The variables each function of the template declares, by logical id. */
export type DeclaredVariables = ReadonlyMap<string, ReadonlySet<string>>;

const PARAMETERS = 'Parameters';

/** Checks an env-vars file's parsed JSON against the template; `shownAs` is the file as the user named it. */
export function checkEnvVarsFile(values: unknown, shownAs: string, declared: DeclaredVariables): EnvVarsFile {
  const envVars = asEnvVarsFile(values, shownAs);
  checkAgainstTemplate(envVars, shownAs, declared);
  return envVars;
}

/**
 * The values the file gives one function: its own entry over Parameters, for the variables it declares only.
 * `host.docker.internal` (the host, seen from sam local invoke's container) becomes 127.0.0.1, because npm run
 * invoke runs the function on the host itself, where that name need not resolve (it does not on Linux).
 */
export function environmentOverrides(
  values: EnvVarsFile,
  functionId: string,
  declared: ReadonlySet<string>,
): Record<string, string> {
  const chosen = { ...values[PARAMETERS], ...values[functionId] };
  return Object.fromEntries(
    Object.entries(chosen)
      .filter(([name]) => declared.has(name))
      .map(([name, value]) => [name, onThisHost(value)]),
  );
}

function onThisHost(value: string): string {
  return value.replace(/^(https?:\/\/)host\.docker\.internal(?=[:/]|$)/i, '$1127.0.0.1');
}

/** SAM refuses a file whose entries are not objects; a value it would blank (null, object, list) is refused here. */
function asEnvVarsFile(values: unknown, shownAs: string): EnvVarsFile {
  if (!isObject(values))
    throw new UsageError(
      `the env-vars file ${shownAs} must be a JSON object: {"Parameters": {...}, "<FunctionLogicalId>": {...}}`,
    );
  const result: EnvVarsFile = {};
  for (const [entry, variables] of Object.entries(values)) {
    if (!isObject(variables))
      throw new UsageError(`${shownAs}: "${entry}" must be an object of variable names and values`);
    result[entry] = {};
    for (const [name, value] of Object.entries(variables)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new UsageError(
          `${shownAs}: ${entry}.${name} must be a string, number or boolean, got ${JSON.stringify(value)}`,
        );
      }
      // As SAM passes them: Lambda's variables are strings, and true and false are spelt in lower case.
      result[entry][name] = String(value);
    }
  }
  return result;
}

function checkAgainstTemplate(values: EnvVarsFile, shownAs: string, declared: DeclaredVariables): void {
  for (const [entry, variables] of Object.entries(values)) {
    if (entry === PARAMETERS) {
      const declaredAnywhere = new Set([...declared.values()].flatMap((names) => [...names]));
      const unknown = Object.keys(variables).filter((name) => !declaredAnywhere.has(name));
      if (unknown.length > 0) {
        throw new UsageError(
          `${shownAs}: Parameters sets ${unknown.join(', ')}, which no function of template.yaml declares in its Environment (sam local invoke would ignore ${unknown.length === 1 ? 'it' : 'them'})`,
        );
      }
      continue;
    }
    const names = declared.get(entry);
    if (!names)
      throw new UsageError(
        `${shownAs}: template.yaml has no function ${entry}; name functions by logical id: ${[...declared.keys()].join(', ')}`,
      );
    const unknown = Object.keys(variables).filter((name) => !names.has(name));
    if (unknown.length > 0) {
      throw new UsageError(
        `${shownAs}: ${entry} does not declare ${unknown.join(', ')} in its template Environment (sam local invoke would ignore ${unknown.length === 1 ? 'it' : 'them'}); it declares ${[...names].join(', ') || 'none'}`,
      );
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
