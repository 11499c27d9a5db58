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
