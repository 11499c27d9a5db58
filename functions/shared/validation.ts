import * as z from 'zod';
import { ValidationError } from './errors';

/** Parses `input` with `schema`, or throws a ValidationError whose message names every offending field. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
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
 * Control characters (C0, DEL, C1) and lone UTF-16 surrogates: a lone surrogate has no UTF-8 form, so DynamoDB
 * and SES would store or send a replacement character instead of what was asked; NUL, CR and LF in a name end up
 * in email headers and log lines. Emoji, accents and right-to-left text are fine (astral characters are surrogate
 * pairs, which this allows). Written by hand because zod has no check for well-formed text.
 */
const malformedCharacter = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const wellFormed = (text: string) => !malformedCharacter.test(text);
const wellFormedMessage = 'must not contain control characters, line breaks or lone surrogates';

/** One line of text a person typed (a name): trimmed, not empty, at most `max` characters, well-formed. */
export function singleLineText(max: number) {
  return z.string().trim().min(1, 'must not be empty').max(max).refine(wellFormed, wellFormedMessage);
}

/** An identifier (a key the system or a client chose, used as is): not empty, at most `max` characters, well-formed. */
export function identifier(max: number) {
  return z.string().min(1, 'must not be empty').max(max).refine(wellFormed, wellFormedMessage);
}
