import { nameMap } from '../name-map';
import { withTimeout } from './timeout';

/** What an AWS service integration returns to API Gateway before the integration response mapping. */
export interface ServiceResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Calls a Step Functions action the way API Gateway's `aws` integration does: the AWS JSON 1.0 protocol,
 * POST / with `X-Amz-Target: AWSStepFunctions.<Action>` and the mapped request as the body. Locally every
 * action goes to the one Step Functions API endpoint (in AWS StartSyncExecution has its own `sync-` host).
 */
export async function callStepFunctions(
  endpoint: string,
  action: string,
  body: string,
  timeoutMs: number,
): Promise<ServiceResponse> {
  return withTimeout(timeoutMs, async (signal) => {
    const response = await fetch(new URL('/', endpoint), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AWSStepFunctions.${action}` },
      body,
      signal,
    });
    return { status: response.status, headers: nameMap(response.headers), body: await response.text() };
  });
}
