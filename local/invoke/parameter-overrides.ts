/**
 * `--parameter-overrides` read as SAM CLI reads it (samcli/cli/types.py CfnParameterOverridesType): each value is
 * either `ParameterKey=Name,ParameterValue=Value ...` or `Name=Value ...` (space-separated pairs; a value may be
 * quoted, `\ ` `\"` `\'` escape), or `file://params.json|.yaml|.yml` holding a mapping of names to values. Values
 * later on the command line win. SAM's regular expressions are reproduced as they are, so a value SAM accepts is
 * accepted here and read the same way; this is written by hand because no library reads SAM's format.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { UsageError } from '../cli-config';

const KEY = `([A-Za-z0-9"']+)`;
// SAM's _generate_match_regex(".", delim=" "): a double-quoted, single-quoted or unquoted run without spaces.
const VALUE = `("(?:\\\\.|[^"\\\\]+)*"|'(?:\\\\.|[^'\\\\]+)*'|(?:\\\\.|[^ "\\\\]+)+)`;
const LONG_FORM = new RegExp(`(?:ParameterKey=${KEY},ParameterValue=${VALUE})`, 'g');
const SHORT_FORM = new RegExp(`(?:(?: )${KEY}=${VALUE})`, 'g');

const EXAMPLES =
  "'ParameterKey=KeyPairName,ParameterValue=MyKey ParameterKey=InstanceType,ParameterValue=t1.micro', 'KeyPairName=MyKey InstanceType=t1.micro', or 'file://MyParams.yaml'";

/** The overrides the option's values give, in SAM's precedence; `cwd` resolves file:// paths. */
export function parseParameterOverrides(values: string[], cwd: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const value of values) Object.assign(parameters, parseValue(value, cwd));
  return Object.fromEntries(Object.entries(parameters).map(([key, value]) => [unquote(key), unquote(value)]));
}

function parseValue(value: string, cwd: string): Record<string, string> {
  if (value.startsWith('file://')) return readFile(value, cwd);
  const normalized = ` ${value.trim()}`;
  for (const pattern of [LONG_FORM, SHORT_FORM]) {
    const pairs = [...normalized.matchAll(pattern)];
    if (pairs.length > 0) return Object.fromEntries(pairs.map((match) => [match[1], match[2]]));
  }
  throw new UsageError(
    `Invalid value for '--parameter-overrides': ${value} is not a valid format. It must look something like ${EXAMPLES}`,
  );
}

function readFile(value: string, cwd: string): Record<string, string> {
  const file = path.resolve(cwd, value.slice('file://'.length));
  const extension = path.extname(file);
  if (!['.json', '.yaml', '.yml'].includes(extension))
    throw new UsageError(
      `Invalid value for '--parameter-overrides': ${value} uses an unsupported extension (.json, .yaml or .yml here; SAM also reads .toml)`,
    );
  let content: unknown;
  try {
    content = YAML.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'was not found or is a directory' : (error as Error).message;
    throw new UsageError(`Invalid value for '--parameter-overrides': ${value} ${reason}`);
  }
  if (typeof content !== 'object' || content === null || Array.isArray(content))
    throw new UsageError(
      `Invalid value for '--parameter-overrides': ${value} must hold a mapping of parameter names to values`,
    );
  return Object.fromEntries(
    Object.entries(content).map(([key, item]) => {
      if (item === null || item === undefined) return [key, ''];
      if (Array.isArray(item))
        return [
          key,
          item
            .filter((x) => x !== null && x !== '')
            .map((x) => String(x).trim())
            .join(','),
        ];
      if (typeof item === 'object')
        throw new UsageError(
          `Invalid value for '--parameter-overrides': ${value}: ${key} must be a value, not a mapping`,
        );
      return [key, String(item)];
    }),
  );
}

/** SAM's _unquote_wrapped_quotes. */
function unquote(value: string): string {
  let text = value;
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.at(-1) === text[0]) text = text.slice(1, -1);
  return text.replaceAll('\\ ', ' ').replaceAll('\\"', '"').replaceAll("\\'", "'");
}
