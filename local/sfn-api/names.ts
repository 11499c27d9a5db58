/**
 * Names of state machines and executions (the service model's `Name` rules, docs/stepfunctions-local.md §1.2):
 * 1–80 characters, none of whitespace, brackets, wildcards, special punctuation, control characters,
 * lone surrogates or U+FFFE/U+FFFF.
 */
import { invalidName } from './errors';

// `\s` covers Unicode whitespace; `\p{Cc}` covers U+0000–001F and U+007F–009F; in a `u` regex the
// surrogate range only matches lone surrogates (a valid pair is one code point).
const forbidden = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}\uFFFE\uFFFF\uD800-\uDFFF]/u;

function isValidName(name: string): boolean {
  const length = [...name].length;
  return length >= 1 && length <= 80 && !forbidden.test(name);
}

/** Throws AWS's InvalidName for a name that breaks the rules. */
export function assertValidName(name: string): void {
  if (!isValidName(name)) throw invalidName(name);
}
