/**
 * `npm run invoke`'s command line: `sam local invoke`'s (samcli/commands/local/invoke/cli.py), for the options that
 * mean something without Docker. Read by hand rather than with node:util parseArgs because SAM's
 * `--parameter-overrides` takes every value up to the next option (Click's OptionNargs) and because its mistakes are
 * answered in SAM's (Click's) words, not Node's parser's.
 */
import { UsageError } from './cli-config';

export const USAGE = [
  'usage: npm run -s invoke -- [<FunctionLogicalId>] [options]     (or: npx sam-local-invoke [<FunctionLogicalId>] [options])',
  '  -e, --event <file>              the event (JSON); - reads standard input; without it the event is {}',
  '      --no-event                  the event is {} (SAM keeps this flag for old scripts)',
  "  -n, --env-vars <file>           values for the functions' template variables, in sam local invoke's JSON format",
  '      --parameter-overrides <v>   template parameters: Name=Value ... or ParameterKey=Name,ParameterValue=Value ...',
  '                                  or file://params.json|yaml',
  '  -t, --template <file>           the SAM template (default: the project template.yaml)',
  '  -l, --log-file <file>           write the result and the logs to this file instead of stdout and stderr',
  '  -h, --help                      this text',
  'Relative paths are read from the directory you run the command in. The result goes to stdout, everything else to',
  'stderr. Exit status: 0 when the function ran (also when it failed: its error is the result), 1 when it could not be',
  'run (no such function, an unreadable event), 2 for a mistake on the command line.',
].join('\n');

export interface InvokeArguments {
  /** The function's logical id; without it, the template's only function (or a list of them). */
  functionId?: string;
  /** The event file as given (- is standard input); none: the event is {}. */
  event?: string;
  envVars?: string;
  /** Every value given to --parameter-overrides, in order. */
  parameterOverrides: string[];
  template?: string;
  logFile?: string;
  help: boolean;
}

type ValueOption = 'event' | 'envVars' | 'template' | 'logFile';

const VALUE_OPTIONS: Record<string, ValueOption> = {
  '-e': 'event',
  '--event': 'event',
  '-n': 'envVars',
  '--env-vars': 'envVars',
  '-t': 'template',
  '--template': 'template',
  '--template-file': 'template',
  '-l': 'logFile',
  '--log-file': 'logFile',
};

/** sam local invoke's options that only concern its Docker container or an AWS account: named, not just unknown. */
const DOCKER_OR_ACCOUNT_OPTIONS = new Set([
  '--docker-network',
  '--docker-volume-basedir',
  '-v',
  '--skip-pull-image',
  '--force-image-build',
  '--invoke-image',
  '--container-env-vars',
  '--container-host',
  '--container-host-interface',
  '--container-dns',
  '--add-host',
  '--debug-port',
  '-d',
  '--debug-args',
  '--debugger-path',
  '--layer-cache-basedir',
  '--shutdown',
  '--no-memory-limit',
  '--mount-symlinks',
  '--runtime',
  '-r',
  '--region',
  '--profile',
  '--hook-name',
  '--terraform-plan-file',
  '--config-file',
  '--config-env',
  '--save-params',
  '--tenant-id',
  '--durable-execution-name',
  '--beta-features',
  '--debug',
]);

export function parseInvokeArguments(argv: string[]): InvokeArguments {
  const parsed: InvokeArguments = { parameterOverrides: [], help: false };
  const positionals: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (!argument.startsWith('-') || argument === '-') {
      positionals.push(argument);
      continue;
    }
    const [name, inline] = splitOption(argument);
    if (name === '-h' || name === '--help' || name === '--no-event') {
      if (inline !== undefined) throw new UsageError(`Option '${name}' does not take a value.`);
      if (name === '--no-event') continue; // SAM's default already: no event is {}
      parsed.help = true;
      continue;
    }
    if (name === '--parameter-overrides') {
      // Click's OptionNargs: this value and every following one up to the next option.
      const values = inline !== undefined ? [inline] : [];
      while (index + 1 < argv.length && !argv[index + 1].startsWith('-') && looksLikeOverride(argv[index + 1]))
        values.push(argv[++index]);
      if (values.length === 0) throw new UsageError(`Option '${name}' requires an argument.`);
      parsed.parameterOverrides.push(...values);
      continue;
    }
    const option = VALUE_OPTIONS[name];
    if (!option) {
      if (DOCKER_OR_ACCOUNT_OPTIONS.has(name))
        throw new UsageError(
          `Option '${name}' is one of sam local invoke's options for its Docker container or an AWS account: npm run invoke runs the function on this machine, against the local cloud, and has no use for it.`,
        );
      throw new UsageError(`No such option: ${name}${suggestion(name)}`);
    }
    const value = inline ?? argv[++index];
    if (value === undefined || (inline === undefined && value.startsWith('-') && value !== '-'))
      throw new UsageError(`Option '${name}' requires an argument.`);
    if (parsed[option] !== undefined) throw new UsageError(`Option '${name}' was given twice.`);
    parsed[option] = value;
  }
  if (positionals.length > 1) throw new UsageError(`Got unexpected extra argument (${positionals.slice(1).join(' ')})`);
  parsed.functionId = positionals[0];
  return parsed;
}

/** `--name=value` (and Click's `-evalue`) into the option's name and its inline value. */
function splitOption(argument: string): [string, string | undefined] {
  if (argument.startsWith('--')) {
    const equals = argument.indexOf('=');
    return equals < 0 ? [argument, undefined] : [argument.slice(0, equals), argument.slice(equals + 1)];
  }
  return argument.length > 2 ? [argument.slice(0, 2), argument.slice(2)] : [argument, undefined];
}

/** A value --parameter-overrides takes: a pair or a file; anything else (a function's name) is left for what follows. */
function looksLikeOverride(argument: string): boolean {
  return argument.includes('=') || argument.startsWith('file://');
}

function suggestion(name: string): string {
  const known = [...Object.keys(VALUE_OPTIONS), '--parameter-overrides', '--no-event', '--help'].filter((option) =>
    option.startsWith('--'),
  );
  const close = known.filter((option) => option.startsWith(name) || name.startsWith(option));
  return close.length > 0 ? ` (Possible options: ${close.join(', ')})` : '';
}
