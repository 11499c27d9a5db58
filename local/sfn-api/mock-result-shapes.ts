/**
 * TestState's fieldValidationMode: a mocked Task result is checked against the output shape of the service API the
 * Task calls (STRICT: required members present and present members of the right type; PRESENT: present members
 * only; NONE: nothing). The shapes are the AWS SDK's own (the clients' operation schemas, `<Operation>$`, read with
 * @smithy/core's NormalizedSchema), for the services this project has clients for: Lambda, DynamoDB, Step
 * Functions, S3, SES and SES v2. A Task of another service is not checked (local/sfn-api/README.md says so).
 *
 * Written by hand because no library validates a JSON value against a Smithy schema the way Step Functions does:
 * member names in Step Functions' casing (first letter upper case), members the model lacks accepted, timestamps
 * and blobs as strings. The messages are AWS's, as LocalStack recorded them on AWS
 * (tests/aws/services/stepfunctions/v2/test_state/test_field_validation_mode*.snapshot.json).
 */
import { NormalizedSchema } from '@smithy/core/schema';
import { TestStateError, type FieldValidationMode } from '@serverless-workflows/sfn-engine';

type Schema = Parameters<typeof NormalizedSchema.of>[0];
type OperationSchema = [number, string, string, number, unknown, Schema | (() => Schema)];

/** The SDK client of each service name a Resource uses (optimized integrations and `aws-sdk:<service>`). */
const CLIENTS: Record<string, () => Promise<Record<string, unknown>>> = {
  lambda: () => import('@aws-sdk/client-lambda'),
  dynamodb: () => import('@aws-sdk/client-dynamodb'),
  states: () => import('@aws-sdk/client-sfn'),
  sfn: () => import('@aws-sdk/client-sfn'),
  s3: () => import('@aws-sdk/client-s3'),
  ses: () => import('@aws-sdk/client-ses'),
  sesv2: () => import('@aws-sdk/client-sesv2'),
};

/** Service and action of a Resource: `arn:aws:states:::dynamodb:putItem`, `arn:aws:states:::aws-sdk:s3:getObject.waitForTaskToken`. */
function serviceAction(resource: string): { service: string; action: string } | undefined {
  const match = /^arn:aws[\w-]*:states:::(?:aws-sdk:)?([\w-]+):(\w+)(?:\.\w+(?::\d+)?)?$/.exec(resource);
  return match ? { service: match[1].toLowerCase(), action: match[2] } : undefined;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

function refuse(message: string): never {
  throw new TestStateError('ValidationException', `Mock result schema validation error: ${message}`);
}

/** The names of a structure's required members: the SDK's compact struct schema lists them first and counts them. */
function requiredMembers(schema: NormalizedSchema): string[] {
  const raw = schema.getSchema() as unknown;
  if (!Array.isArray(raw) || raw[0] !== 3 || typeof raw[6] !== 'number') return [];
  return (raw[4] as string[]).slice(0, raw[6]);
}

function check(
  value: unknown,
  schema: NormalizedSchema,
  field: string,
  mode: FieldValidationMode,
  lambdaPayload: boolean,
): void {
  if (schema.isDocumentSchema()) return;
  if (schema.isStructSchema()) {
    if (!isPlainObject(value)) refuse(`Field '${field}' must be an object`);
    if (mode === 'STRICT') {
      for (const name of requiredMembers(schema)) {
        if (!Object.hasOwn(value, pascal(name))) refuse(`Required field '${pascal(name)}' is missing`);
      }
    }
    const members = new Map<string, NormalizedSchema>();
    for (const [name, member] of schema.structIterator()) members.set(pascal(name), member);
    for (const [name, member] of Object.entries(value)) {
      const memberSchema = members.get(name);
      // Members the model does not have are accepted, as AWS does (forward compatibility).
      if (memberSchema) check(member, memberSchema, name, mode, lambdaPayload && name === 'Payload');
    }
    return;
  }
  if (schema.isListSchema()) {
    if (!Array.isArray(value)) refuse(`Field '${field}' must be an array`);
    for (const item of value) check(item, schema.getValueSchema(), field, mode, false);
    return;
  }
  if (schema.isMapSchema()) {
    if (!isPlainObject(value)) refuse(`Field '${field}' must be an object`);
    for (const item of Object.values(value)) check(item, schema.getValueSchema(), field, mode, false);
    return;
  }
  // lambda:invoke hands the function's answer over as JSON, not as the API's blob.
  if (schema.isBlobSchema()) {
    if (!lambdaPayload && typeof value !== 'string') refuse(`Field '${field}' must be a string`);
  } else if (schema.isStringSchema() || schema.isTimestampSchema()) {
    if (typeof value !== 'string') refuse(`Field '${field}' must be a string`);
  } else if (schema.isBooleanSchema()) {
    if (typeof value !== 'boolean') refuse(`Field '${field}' must be a boolean`);
  } else if (schema.isNumericSchema() || schema.isBigIntegerSchema() || schema.isBigDecimalSchema()) {
    if (typeof value !== 'number') refuse(`Field '${field}' must be a number`);
  }
}

/** TestStateHost.validateMockResult: checks `result` against the output shape of the API `resource` calls. */
export async function validateMockResult(resource: string, result: unknown, mode: FieldValidationMode): Promise<void> {
  // A callback task's result is what SendTaskSuccess delivers, whatever its shape: no API answers it.
  if (resource.endsWith('.waitForTaskToken')) return;
  const target = serviceAction(resource);
  const load = target && CLIENTS[target.service];
  if (!target || !load) return;
  const client = await load();
  const operation = client[`${pascal(target.action)}$`] as OperationSchema | undefined;
  if (!Array.isArray(operation)) return;
  const output = operation[5];
  const schema = NormalizedSchema.of(typeof output === 'function' ? output() : output);
  if (!isPlainObject(result)) refuse('The mocked result must be a JSON object');
  check(result, schema, '', mode, target.service === 'lambda' && target.action === 'invoke');
}
