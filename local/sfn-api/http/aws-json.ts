/**
 * AWS JSON 1.0 over node:http (docs/stepfunctions-local.md §1): POST with `X-Amz-Target:
 * AWSStepFunctions.<Operation>` and a JSON body; answers 200 with the output JSON, or the status with
 * `{"__type","message"}` and the `x-amzn-ErrorType` header. SigV4 signatures are not checked; the Host header
 * must name this machine (server.ts, local/request-guard.ts), with or without the SDK's `sync-` host prefix.
 */
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SfnApiError } from '../errors';

const contentType = 'application/x-amz-json-1.0';
/**
 * AWS's quota: 1 MB per Step Functions API request (service-quotas.html, "Maximum request size"; a definition's
 * 1 MB and an input's 256 KiB fit in it). A body is held in memory only up to this.
 */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/**
 * The whole body, held in memory only up to MAX_REQUEST_BYTES: a declared Content-Length over it is refused before a
 * byte is read, any other body as soon as it passes it (413). A refused body is read to its end and dropped, never
 * kept (closing a socket the client is still writing to resets the connection, and the client may lose its 413);
 * a client that never ends it is cut off by the server's request timeout (local/request-limits.ts).
 */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) refuse();
      else chunks.push(chunk);
    };
    const refuse = () => {
      request.removeListener('data', onData);
      chunks.length = 0;
      request.resume();
      reject(
        new SfnApiError(
          'ValidationException',
          `The request body is larger than ${MAX_REQUEST_BYTES} bytes, the most a Step Functions request may carry`,
          413,
        ),
      );
    };
    if (Number(request.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) return refuse();
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // The client went away mid-body: 'end' never comes (a settled promise ignores this).
    request.once('close', () => reject(new Error('the client closed the connection before the body ended')));
    request.once('error', reject);
  });
}

/** The request body as an object; an empty body is `{}`. */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new SfnApiError('SerializationException', `The request body is not JSON: ${(error as Error).message}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SfnApiError('SerializationException', 'The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

export function sendJson(
  response: ServerResponse,
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(statusCode, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': crypto.randomUUID(),
    ...headers,
  });
  response.end(text);
}

export function sendError(response: ServerResponse, error: SfnApiError): void {
  sendJson(
    response,
    error.statusCode,
    { __type: error.code, message: error.message, ...error.members },
    { 'x-amzn-ErrorType': error.code },
  );
}
