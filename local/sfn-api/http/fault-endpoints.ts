/**
 * Local-only fault injection (not part of the AWS API), beside /_local/clock:
 *   GET    /_local/faults → {"faults": [{"function","error","when","remaining"}]}: what is armed
 *   POST   /_local/faults {"function": "<logical id, name or ARN>", "error": "Lambda.TooManyRequestsException",
 *          "count": N, "when"?: "before" | "after"} → {"fault": {...}}: the next N invocations of that function fail
 *          as the Lambda service would fail them: "before" (the default) its code runs, so it never runs; "after"
 *          it ran, so its effects happened and only its answer is lost. Errors: Lambda.TooManyRequestsException,
 *          Lambda.ServiceException, Lambda.AWSLambdaException, Lambda.SdkClientException. Replaces a fault armed
 *          for that function.
 *   POST   /_local/faults {"operation": "SendTaskSuccess", "error": "ServiceUnavailable" | "InternalFailure",
 *          "count": N, "when"?: "before" | "after"} → {"fault": {"operation","error","when","remaining"}}: the next N
 *          calls of this API's operation answer that 5xx: "before" refused, nothing done; "after" carried out (the
 *          task completed), only the answer lost (local/sfn-api/api-faults.ts). Listed by GET after the functions'.
 *   DELETE /_local/faults → {"faults": []}: disarms every fault
 * Errors are `{"error","message"}` like the other /_local/ endpoints; a refused request arms nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultRequestError, type LambdaFaults } from '../../lambda-runner/faults';
import type { ApiFaults } from '../api-faults';
import { SfnApiError } from '../errors';
import { readBody } from './aws-json';
import { send } from './local-endpoints';

export const FAULTS_PATH = '/_local/faults';

function refuse(response: ServerResponse, statusCode: number, error: string, message: string): void {
  send(response, statusCode, { error, message });
}

async function arm(request: IncomingMessage, faults: LambdaFaults, apiFaults?: ApiFaults): Promise<unknown> {
  const text = await readBody(request);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new FaultRequestError(
      'The body must be JSON: {"function": "<name>", "error": "Lambda.TooManyRequestsException", "count": <n>, "when": "before" | "after"}',
    );
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new FaultRequestError('The body must be a JSON object');
  if (!('operation' in body)) return { fault: faults.inject(body) };
  if (!apiFaults) throw new FaultRequestError('This server takes no faults for its own operations');
  return { fault: apiFaults.inject(body) };
}

/**
 * Answers a request under /_local/faults; `faults` is undefined when no Lambda runner's faults were given (then the
 * endpoint is not there), `apiFaults` are the server's own operations'.
 */
export async function handleFaultRequest(
  request: IncomingMessage,
  response: ServerResponse,
  faults: LambdaFaults | undefined,
  apiFaults?: ApiFaults,
): Promise<void> {
  if (!faults)
    return refuse(
      response,
      404,
      'NotFound',
      'Fault injection needs the local cloud (its Lambda runner); this server has none',
    );
  const method = request.method ?? 'GET';
  try {
    if (method === 'GET') return send(response, 200, { faults: [...faults.list(), ...(apiFaults?.list() ?? [])] });
    if (method === 'POST') return send(response, 200, await arm(request, faults, apiFaults));
    if (method === 'DELETE') {
      faults.clear();
      apiFaults?.clear();
      return send(response, 200, { faults: [] });
    }
    return refuse(
      response,
      405,
      'MethodNotAllowed',
      `${method} ${FAULTS_PATH} is not supported: use GET, POST or DELETE`,
    );
  } catch (error) {
    if (error instanceof FaultRequestError) return refuse(response, 400, error.name, error.message);
    // readBody's refusal of an oversized body, in this endpoint's error shape
    if (error instanceof SfnApiError) return refuse(response, error.statusCode, error.code, error.message);
    throw error;
  }
}
