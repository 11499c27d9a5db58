import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { ValidationError } from './errors';

// zod/mini: the same schemas and checks as zod's classic API, without its methods on every schema, which cost every
// function ~7 ms of its cold start (issue 17). Mini carries no messages of its own: English, as the classic API sets.
// (`z.locales.en` would bundle every locale: esbuild keeps a whole namespace re-export.)
z.config(en());

/** Parses `input` with `schema`, or throws a ValidationError whose message names every offending field. */
export function parseInput<Schema extends z.ZodMiniType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  throw new ValidationError(`Invalid request: ${result.error.issues.map(describeIssue).join('; ')}`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.join('.') : 'the request';
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${field} is required`;
  return `${field}: ${issue.message}`;
}

/**
 * Lone UTF-16 surrogates and control characters (C0, DEL, C1): a lone surrogate has no UTF-8 form, so DynamoDB and
 * SES would store or send a replacement character instead of what was asked, and NUL or an escape sequence is never
 * part of a name. Emoji, accents and right-to-left text are fine (astral characters are surrogate pairs, which
 * these allow). Written by hand because zod has no check for well-formed text.
 */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters in typed text is this regex's purpose
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;
/** Tabs and line breaks are text a person may type in a name (a second line, an address); other controls are not. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters (but tab and line breaks) in typed text is this regex's purpose
const controlCharacterButLineBreaks = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Text a person typed (a name): trimmed, not empty, at most `max` characters, no lone surrogates or controls but line breaks. */
export function personText(max: number) {
  return z.string().check(
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.maxLength(max),
    z.refine(
      (text) => !loneSurrogate.test(text) && !controlCharacterButLineBreaks.test(text),
      'must not contain control characters or lone surrogates',
    ),
  );
}

/** An identifier (a key the system or a client chose, used as is): not empty, at most `max` characters, one printable line. */
export function identifier(max: number) {
  return z.string().check(
    z.minLength(1, 'must not be empty'),
    z.maxLength(max),
    z.refine(
      (text) => !loneSurrogate.test(text) && !controlCharacter.test(text),
      'must not contain control characters, line breaks or lone surrogates',
    ),
  );
}
