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
/** Definitions may be 1 MiB, JSON-escaped inside the request: leave room for that. */
const maxBodyBytes = 8 * 1024 * 1024;

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes)
      throw new SfnApiError('ValidationException', `The request body is larger than ${maxBodyBytes} bytes`, 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
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
    { __type: error.code, message: error.message },
    { 'x-amzn-ErrorType': error.code },
  );
}
