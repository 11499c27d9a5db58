/**
 * Checks a request body against its operation's schema (request-schemas.ts) and reports problems the
 * way AWS does: a wrong JSON type is a SerializationException; a broken constraint is a ValidationException
 * "N validation error(s) detected: Value '<v>' at '<member>' failed to satisfy constraint: Member must ...".
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { SfnApiError, validationException } from './errors';
import { requestSchemas, sensitiveMembers, type Operation } from './request-schemas';

const ajv = new Ajv({ allErrors: true, strict: true });
const validators = new Map<Operation, ValidateFunction>(
  (Object.keys(requestSchemas) as Operation[]).map((operation) => [operation, ajv.compile(requestSchemas[operation])]),
);

/** AWS's member path: `/routingConfiguration/0/weight` is `routingConfiguration.1.member.weight` (lists 1-based). */
const memberPath = (instancePath: string) =>
  instancePath
    .slice(1)
    .split('/')
    .map((part) => (/^\d+$/.test(part) ? `${Number(part) + 1}.member` : part))
    .join('.');

function valueAt(body: Record<string, unknown>, instancePath: string): unknown {
  return instancePath
    .slice(1)
    .split('/')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], body);
}

function constraintOf(error: ErrorObject): string | undefined {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'Member must not be null';
    case 'minLength':
      return `Member must have length greater than or equal to ${params.limit}`;
    case 'maxLength':
      return `Member must have length less than or equal to ${params.limit}`;
    case 'maxItems':
      return `Member must have length less than or equal to ${params.limit}`;
    case 'minimum':
      return `Member must have value greater than or equal to ${params.limit}`;
    case 'maximum':
      return `Member must have value less than or equal to ${params.limit}`;
    case 'pattern':
      return `Member must satisfy regular expression pattern: ${params.pattern}`;
    case 'minItems':
      return `Member must have length greater than or equal to ${params.limit}`;
    case 'enum':
      return `Member must satisfy enum value set: [${(params.allowedValues as string[]).join(', ')}]`;
    default:
      return undefined;
  }
}

function describe(error: ErrorObject, body: Record<string, unknown>): string {
  const params = error.params as Record<string, unknown>;
  const path =
    error.keyword === 'required'
      ? [memberPath(error.instancePath), params.missingProperty].filter(Boolean).join('.')
      : memberPath(error.instancePath);
  const value = error.keyword === 'required' ? undefined : valueAt(body, error.instancePath);
  const leaf = path.split('.').pop() ?? path;
  const shown =
    value === undefined
      ? 'Value null'
      : sensitiveMembers.has(leaf)
        ? 'Value'
        : `Value '${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  return `${shown} at '${path}' failed to satisfy constraint: ${constraintOf(error) ?? error.message}`;
}

/** Throws SerializationException or ValidationException when the body breaks the operation's schema. */
export function validateRequest(operation: Operation, body: Record<string, unknown>): void {
  const validate = validators.get(operation)!;
  if (validate(body)) return;
  const errors = validate.errors ?? [];
  const typeError = errors.find((error) => error.keyword === 'type');
  if (typeError) {
    throw new SfnApiError(
      'SerializationException',
      `Unexpected value type at '${memberPath(typeError.instancePath)}': expected ${(typeError.params as { type: string }).type}`,
    );
  }
  const problems = errors.map((error) => describe(error, body));
  throw validationException(
    `${problems.length} validation error${problems.length > 1 ? 's' : ''} detected: ${problems.join('; ')}`,
  );
}
