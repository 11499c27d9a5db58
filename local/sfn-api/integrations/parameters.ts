/**
 * Checks the effective Parameters/Arguments of an optimized integration against the fields Step Functions
 * supports for it. AWS refuses unknown fields when the definition is created; a call that still gets here
 * with a bad shape (e.g. a path that resolved to nothing) fails the task with States.Runtime and a cause
 * naming the field, instead of sending a half-understood request.
 */
import type { TaskOutcome } from '@serverless-workflows/sfn-engine';

export function checkParameters(
  resource: string,
  parameters: unknown,
  fields: { allowed: readonly string[]; required: readonly string[] },
): (TaskOutcome & { ok: false }) | undefined {
  const fail = (detail: string) => ({
    ok: false as const,
    error: 'States.Runtime',
    cause: `The parameters of '${resource}' are invalid: ${detail}`,
  });
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
    return fail(`expected an object, got ${JSON.stringify(parameters)}`);
  }
  const unknown = Object.keys(parameters).filter((field) => !fields.allowed.includes(field));
  if (unknown.length > 0)
    return fail(`the field(s) ${unknown.map((field) => `'${field}'`).join(', ')} are not supported`);
  const missing = fields.required.filter((field) => (parameters as Record<string, unknown>)[field] === undefined);
  if (missing.length > 0) return fail(`the field(s) ${missing.map((field) => `'${field}'`).join(', ')} are required`);
  return undefined;
}
