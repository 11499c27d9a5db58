/**
 * CloudFormation's end of a custom resource, for `npm run invoke` of a custom resource request (events/seed-rooms.json):
 * the request's pre-signed ResponseURL (S3, unreachable offline) is answered by a local endpoint instead, which
 * receives the function's PUT as S3 would (200), checks it as CloudFormation checks a response object, and shows
 * what CloudFormation would receive: on stderr, and appended to `<state>/cloudformation/responses.jsonl`.
 *
 * CloudFormation's rules for the response object ("Custom resource response objects", AWS CloudFormation User Guide,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html): Status SUCCESS or FAILED;
 * Reason required with FAILED; PhysicalResourceId required; StackId, RequestId and LogicalResourceId copied verbatim
 * from the request; Data a mapping, NoEcho a boolean; at most 4096 bytes. A response that breaks one fails the stack
 * operation in AWS; it is reported here as such, and the function is still answered 200 (S3 accepted the upload).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** The fields of a custom resource request that its response must echo, and where it is sent. */
export interface CustomResourceRequest {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
}

export interface ReceivedResponse {
  receivedAt: string;
  /** The ResponseURL without its query (the pre-signature is a credential). */
  responseUrl: string;
  request: Omit<CustomResourceRequest, 'ResponseURL'>;
  /** The body as sent, parsed when it is JSON. */
  response: unknown;
  /** Why CloudFormation would refuse it; empty when it would accept it. */
  problems: string[];
}

export interface ResponseReceiver {
  /** The event to invoke the function with: its ResponseURL pointed at this receiver. */
  event: CustomResourceRequest & Record<string, unknown>;
  /** What the function sent so far. */
  received(): ReceivedResponse[];
  close(): Promise<void>;
}

const MAX_RESPONSE_BYTES = 4096;

export function isCustomResourceRequest(event: unknown): event is CustomResourceRequest & Record<string, unknown> {
  if (typeof event !== 'object' || event === null) return false;
  const fields = event as Record<string, unknown>;
  return (
    ['Create', 'Update', 'Delete'].includes(fields.RequestType as string) &&
    ['ResponseURL', 'StackId', 'RequestId', 'LogicalResourceId'].every((name) => typeof fields[name] === 'string')
  );
}

/** Starts the receiver on a free loopback port; `recordFile` keeps every response received. */
export async function startResponseReceiver(
  request: CustomResourceRequest & Record<string, unknown>,
  recordFile: string,
): Promise<ResponseReceiver> {
  let original: URL;
  try {
    original = new URL(request.ResponseURL);
  } catch {
    throw new Error(`the event's ResponseURL is not a URL: ${request.ResponseURL}`);
  }
  const responseUrl = `${original.origin}${original.pathname}`;
  const echoed = echoedFields(request);
  const received: ReceivedResponse[] = [];
  const server = http.createServer((incoming, answer) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      if (incoming.method !== 'PUT') {
        answer.writeHead(405, { allow: 'PUT' }).end();
        return;
      }
      const entry: ReceivedResponse = {
        receivedAt: new Date().toISOString(),
        responseUrl,
        request: echoed,
        ...checkResponse(body, echoed),
      };
      received.push(entry);
      mkdirSync(path.dirname(recordFile), { recursive: true });
      appendFileSync(recordFile, `${JSON.stringify(entry)}\n`);
      answer.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    event: { ...request, ResponseURL: `http://127.0.0.1:${port}${original.pathname}${original.search}` },
    received: () => [...received],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The lines that show what CloudFormation would receive, and what it would make of it. */
export function describeReceived(received: ReceivedResponse[], functionId: string): string[] {
  if (received.length === 0)
    return [
      `CloudFormation would receive nothing: ${functionId} did not answer its ResponseURL, so the stack operation would wait until the custom resource times out`,
    ];
  return received.flatMap((entry) => [
    `CloudFormation would receive at ${entry.responseUrl}: ${JSON.stringify(entry.response)}`,
    entry.problems.length === 0
      ? `CloudFormation would accept it: ${(entry.response as { Status: string }).Status} for ${entry.request.LogicalResourceId} (${entry.request.RequestType})`
      : `CloudFormation would refuse it and fail the stack operation: ${entry.problems.join('; ')}`,
  ]);
}

function echoedFields(request: CustomResourceRequest): Omit<CustomResourceRequest, 'ResponseURL'> {
  const { RequestType, StackId, RequestId, LogicalResourceId } = request;
  return { RequestType, StackId, RequestId, LogicalResourceId };
}

function checkResponse(
  body: Buffer,
  request: Omit<CustomResourceRequest, 'ResponseURL'>,
): Pick<ReceivedResponse, 'response' | 'problems'> {
  const text = body.toString('utf8');
  let response: unknown;
  try {
    response = JSON.parse(text);
  } catch {
    return { response: text, problems: ['the body is not JSON'] };
  }
  if (typeof response !== 'object' || response === null || Array.isArray(response))
    return { response, problems: ['the body is not a JSON object'] };
  const fields = response as Record<string, unknown>;
  const problems: string[] = [];
  if (body.length > MAX_RESPONSE_BYTES)
    problems.push(`it is ${body.length} bytes, over the ${MAX_RESPONSE_BYTES} bytes CloudFormation accepts`);
  if (fields.Status !== 'SUCCESS' && fields.Status !== 'FAILED')
    problems.push(`Status must be SUCCESS or FAILED, got ${JSON.stringify(fields.Status)}`);
  if (fields.Status === 'FAILED' && typeof fields.Reason !== 'string')
    problems.push('a FAILED response needs a Reason');
  if (typeof fields.PhysicalResourceId !== 'string' || fields.PhysicalResourceId === '')
    problems.push('PhysicalResourceId is required');
  for (const name of ['StackId', 'RequestId', 'LogicalResourceId'] as const) {
    if (fields[name] !== request[name])
      problems.push(`${name} must be the request's (${request[name]}), got ${JSON.stringify(fields[name])}`);
  }
  if (
    fields.Data !== undefined &&
    (typeof fields.Data !== 'object' || fields.Data === null || Array.isArray(fields.Data))
  )
    problems.push('Data must be a JSON object');
  if (fields.NoEcho !== undefined && typeof fields.NoEcho !== 'boolean') problems.push('NoEcho must be a boolean');
  return { response, problems };
}
