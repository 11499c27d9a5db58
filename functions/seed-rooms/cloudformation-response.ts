/**
 * Answering a CloudFormation custom resource request: an HTTP PUT of the JSON response object to the request's
 * pre-signed ResponseURL. Written here because it is one small request; the usual helper (cfn-response) is only
 * bundled by CloudFormation for inline code and is not an npm dependency of ours.
 */
import { tracedRemoteCall } from '../shared/infrastructure/tracing';

export interface CustomResourceResponse {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data?: Record<string, unknown>;
}

/** CloudFormation was not told the outcome: its ResponseURL could not be reached, or refused the answer. */
export class CloudFormationResponseFailed extends Error {
  override readonly name = 'CloudFormationResponseFailed';
}

/** CloudFormation accepts at most 4096 bytes; the reason is the only part that can grow. */
const maxReasonLength = 1000;

export async function sendCustomResourceResponse(responseUrl: string, response: CustomResourceResponse): Promise<void> {
  const body = JSON.stringify({ ...response, Reason: response.Reason?.slice(0, maxReasonLength) });
  // Errors name the origin only: the rest of a pre-signed URL is the credential for writing this answer.
  const url = new URL(responseUrl);
  const destination = url.origin;
  let answer: Response;
  try {
    // The URL is signed without a content type, so none may be sent (the same as cfn-response does).
    answer = await tracedRemoteCall(url, 'PUT', () =>
      fetch(responseUrl, { method: 'PUT', headers: { 'content-type': '' }, body }),
    );
  } catch (error) {
    // fetch itself says only "fetch failed"; why (no such host, connection refused or reset) is its cause.
    const why = ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
    throw new CloudFormationResponseFailed(`Could not send the ${response.Status} response to ${destination}: ${why}`, {
      cause: error,
    });
  }
  if (!answer.ok) {
    throw new CloudFormationResponseFailed(
      `${destination} did not accept the ${response.Status} response: HTTP ${answer.status} ${await answer.text()}`,
    );
  }
}
