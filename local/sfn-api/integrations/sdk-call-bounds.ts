/**
 * Time bounds of the SDK clients this server calls services with (DynamoDB Local, the SES capture): a service that
 * hangs (accepts the connection but never answers) would otherwise block a Task forever, since the SDK waits
 * without limit by default and, without throwOnRequestTimeout, only logs a warning when its requestTimeout passes.
 * Given up on, a call fails as `<Service>.SdkClientException` (sdk-errors.ts: no answer), which the plagiarism
 * workflow retries. The same numbers as the functions' clients (functions/shared/infrastructure/clients.ts
 * sdkCallBounds: 1 s to connect, 2.5 s per request, 3 attempts), written again here because local/ does not import
 * from functions/: that module also brings the functions' logger and X-Ray tracing with it.
 */
export interface SdkCallBounds {
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
}

export const localSdkCallBounds: SdkCallBounds = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_500, throwOnRequestTimeout: true },
};
