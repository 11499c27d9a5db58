/**
 * Answering a CloudFormation custom resource request: an HTTP PUT of the JSON response object to the request's
 * pre-signed ResponseURL. Written here because it is one small request; the usual helper (cfn-response) is only
 * bundled by CloudFormation for inline code and is not an npm dependency of ours.
 */
export interface CustomResourceResponse {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data?: Record<string, unknown>;
}

/** CloudFormation accepts at most 4096 bytes; the reason is the only part that can grow. */
const maxReasonLength = 1000;

export async function sendCustomResourceResponse(responseUrl: string, response: CustomResourceResponse): Promise<void> {
  const body = JSON.stringify({ ...response, Reason: response.Reason?.slice(0, maxReasonLength) });
  // The URL is signed without a content type, so none may be sent (the same as cfn-response does).
  const answer = await fetch(responseUrl, { method: 'PUT', headers: { 'content-type': '' }, body });
  if (!answer.ok) {
    throw new Error(`CloudFormation did not accept the response: HTTP ${answer.status} ${await answer.text()}`);
  }
}
