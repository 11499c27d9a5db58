/**
 * How Step Functions names the errors of the services it calls (docs/stepfunctions-local.md §6):
 * optimized integrations use AWS Java SDK v1 names and cause texts (`DynamoDB.ConditionalCheckFailedException`,
 * `... (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ...; Request ID: ...; Proxy: null)`),
 * `aws-sdk:*` integrations use Java SDK v2 names (`DynamoDb.ConditionalCheckFailedException`, generic
 * `DynamoDb.DynamoDbException`, cause `... (Service: DynamoDb, Status Code: 400, Request ID: ...)`).
 */
import type { TaskOutcome } from '@serverless-workflows/sfn-engine';

/** What an AWS SDK v3 client throws for a service error (a ServiceException) or a transport failure. */
interface SdkError {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

const isServiceError = (error: SdkError) => error.$metadata?.httpStatusCode !== undefined;

/** A request that never got an answer (connection refused, DNS, timeout): both SDK generations say it alike. */
function clientFailure(prefix: string, error: unknown): TaskOutcome & { ok: false } {
  return {
    ok: false,
    error: `${prefix}.SdkClientException`,
    cause: `Unable to execute HTTP request: ${(error as SdkError).message ?? String(error)}`,
  };
}

/** Java SDK v1 style, used by the optimized integrations (`arn:aws:states:::dynamodb:*`, `lambda:invoke`). */
export function optimizedIntegrationFailure(
  error: unknown,
  naming: { prefix: string; serviceName: string; genericError: string; isModeled(name: string): boolean },
): TaskOutcome & { ok: false } {
  const sdkError = error as SdkError;
  if (!isServiceError(sdkError)) return clientFailure(naming.prefix, error);
  const code = sdkError.name ?? 'UnknownError';
  const name = naming.isModeled(code) ? code : naming.genericError;
  return {
    ok: false,
    error: `${naming.prefix}.${name}`,
    cause:
      `${sdkError.message ?? code} (Service: ${naming.serviceName}; Status Code: ${sdkError.$metadata?.httpStatusCode}; ` +
      `Error Code: ${code}; Request ID: ${sdkError.$metadata?.requestId ?? ''}; Proxy: null)`,
  };
}

/** Java SDK v2 style, used by `arn:aws:states:::aws-sdk:<service>:<action>`. */
export function sdkIntegrationFailure(
  error: unknown,
  naming: { prefix: string; isModeled(name: string): boolean },
): TaskOutcome & { ok: false } {
  const sdkError = error as SdkError;
  if (!isServiceError(sdkError)) return clientFailure(naming.prefix, error);
  const code = sdkError.name ?? 'UnknownError';
  const exception = naming.isModeled(code)
    ? code.endsWith('Exception')
      ? code
      : `${code}Exception`
    : `${naming.prefix}Exception`;
  return {
    ok: false,
    error: `${naming.prefix}.${exception}`,
    cause:
      `${sdkError.message ?? code} (Service: ${naming.prefix}, Status Code: ${sdkError.$metadata?.httpStatusCode}, ` +
      `Request ID: ${sdkError.$metadata?.requestId ?? ''})`,
  };
}

/** An SDK client package's error class (its service's base exception, or one of the modeled errors). */
export type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * A modeled error is one the client package exports an error class for; the SDK builds unmodeled ones
 * (e.g. DynamoDB's ValidationException) from the service's base exception class.
 */
export const modeledErrorsOf =
  (clientModule: object, baseException: ErrorClass) =>
  (name: string): boolean => {
    const candidate = (clientModule as Record<string, unknown>)[name];
    return typeof candidate === 'function' && candidate !== baseException && candidate.prototype instanceof Error;
  };
