/**
 * What `npm run invoke`'s arguments ask for, checked against the template before anything is built or started:
 * the function, its event, the env-vars file's values for it and the template parameters. Mistakes are answered
 * as sam local invoke answers them: a usage error (exit 2, Click's BadParameter) for an option's value, an
 * InvokeError (exit 1, SAM's UserException) for what cannot be run.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../cli-config';
import { checkEnvVarsFile, environmentOverrides } from '../env-vars-file';
import type { InvokeArguments } from '../invoke-command-line';
import { declaredVariableNames } from '../lambda-runner/function-config';
import type { Template } from '../template/load';
import { parseParameterOverrides } from './parameter-overrides';

/** SAM's UserException: the command was well formed but cannot be carried out (exit status 1). */
export class InvokeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvokeError';
  }
}

export interface Invocation {
  functionId: string;
  event: unknown;
  /** The env-vars file's values for the function's template variables; none without the option. */
  environment: Record<string, string>;
  /** Template parameters given with --parameter-overrides. */
  parameterOverrides: Record<string, string>;
}

/** `cwd`: where relative paths are read from (the caller's directory: INIT_CWD under npm run). */
export function resolveInvocation(
  args: InvokeArguments,
  template: Template,
  cwd: string,
  readStandardInput: () => string = () => readFileSync(0, 'utf8'),
): Invocation {
  const functions = declaredVariableNames(template);
  const functionId = chooseFunction(args.functionId, [...functions.keys()]);
  const parameterOverrides = checkParameters(parseParameterOverrides(args.parameterOverrides, cwd), template);
  const event =
    args.event === undefined
      ? {}
      : parseEvent(args.event === '-' ? readStandardInput() : readEventFile(args.event, cwd), args.event);
  if (args.envVars === undefined) return { functionId, event, environment: {}, parameterOverrides };
  const text = readOptionFile(args.envVars, "'-n' / '--env-vars'", cwd);
  let envVars: ReturnType<typeof checkEnvVarsFile>;
  try {
    envVars = checkEnvVarsFile(JSON.parse(text), args.envVars, functions);
  } catch (error) {
    // SAM: InvalidEnvironmentVariablesFileException, a UserException.
    throw new InvokeError(
      `Could not read environment variables overrides from file ${args.envVars}: ${(error as Error).message}`,
    );
  }
  return {
    functionId,
    event,
    environment: environmentOverrides(envVars, functionId, functions.get(functionId)!),
    parameterOverrides,
  };
}

/** SAM's InvokeContext.function_identifier: the one named, or the template's only function. */
function chooseFunction(named: string | undefined, functions: string[]): string {
  if (named === undefined) {
    if (functions.length === 1) return functions[0];
    throw new InvokeError(
      `You must provide a function logical ID when there are more than one functions in your template. Possible options in your template: ${listed(functions)}\n${functionList(functions)}`,
    );
  }
  if (!functions.includes(named))
    throw new InvokeError(
      `Function ${named} not found in template. Possible options in your template: ${listed(functions)}`,
    );
  return named;
}

function listed(functions: string[]): string {
  return `[${functions.map((name) => `'${name}'`).join(', ')}]`;
}

/** The functions one per line, and how to invoke one. */
function functionList(functions: string[]): string {
  return [
    'Functions in the template:',
    ...functions.map((name) => `  ${name}`),
    'Invoke one with: npm run -s invoke -- <FunctionLogicalId> -e events/<event>.json',
  ].join('\n');
}

function checkParameters(overrides: Record<string, string>, template: Template): Record<string, string> {
  const declared = Object.keys(template.Parameters ?? {});
  const unknown = Object.keys(overrides).filter((name) => !declared.includes(name));
  if (unknown.length > 0)
    throw new UsageError(
      `Invalid value for '--parameter-overrides': the template has no parameter ${unknown.join(', ')}; its parameters are ${declared.join(', ') || 'none'}`,
    );
  return overrides;
}

function readEventFile(file: string, cwd: string): string {
  try {
    return readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    // SAM: the FileNotFoundError becomes a UserException.
    throw new InvokeError(`cannot read the event file ${file}: ${describeReadError(error)}`);
  }
}

function parseEvent(text: string, shownAs: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // Lambda refuses such a payload (InvalidRequestContentException: could not parse request body into json).
    throw new InvokeError(
      `the event ${shownAs === '-' ? 'on standard input' : `file ${shownAs}`} is not valid JSON: ${(error as Error).message}`,
    );
  }
}

/** A file an option names, which Click checks exists (click.Path(exists=True)): a usage error when it cannot be read. */
function readOptionFile(file: string, option: string, cwd: string): string {
  try {
    return readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(`Invalid value for ${option}: File '${file}' ${describeReadError(error)}.`);
  }
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EISDIR') return 'is a directory';
  return (error as Error).message;
}
