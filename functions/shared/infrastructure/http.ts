/** API Gateway (REST, Lambda proxy) responses: JSON bodies, the contract's error shape, CORS for the web pages. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { MiddlewareObj } from '@middy/core';
import * as z from 'zod/mini';
import { DomainError, ValidationError } from './errors';
import { logger } from './logger';
import { parseInput } from './validation';

const headers = { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' };

/**
 * Seconds a client should wait before trying a 503 ServiceUnavailable again (RFC 9110 Retry-After): long enough
 * for a throttled or restarting service to recover, short for a person waiting. template.yaml's POST
 * /reservations mapping answers its 503 with the same value.
 */
const SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

export function jsonResponse(
  statusCode: number,
  body: unknown,
  extraHeaders: Record<string, string> = {},
): APIGatewayProxyResult {
  return { statusCode, headers: { ...headers, ...extraHeaders }, body: JSON.stringify(body) };
}

/**
 * A domain error becomes its status with `{"error","message"}` (a 503 with Retry-After); anything else is logged
 * and answered 500.
 */
export function errorResponse(error: unknown): APIGatewayProxyResult {
  if (error instanceof DomainError) {
    const retryAfter: Record<string, string> =
      error.statusCode === 503 ? { 'Retry-After': String(SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS) } : {};
    return jsonResponse(error.statusCode, { error: error.name, message: error.message }, retryAfter);
  }
  logger.error('Unexpected error', error as Error);
  return jsonResponse(500, {
    error: 'InternalServerError',
    message: 'Something went wrong on our side. Please try again.',
  });
}

/**
 * The parts of an API Gateway proxy event the handlers read. API Gateway always sends them in these shapes, but an
 * event is input like any other (a direct invoke, a test event): one of another shape is a 400, not a TypeError
 * answered 500.
 */
const proxyEventParts = z.object({
  body: z.nullish(z.string()),
  isBase64Encoded: z.nullish(z.boolean()),
  pathParameters: z.nullish(z.record(z.string(), z.string())),
  queryStringParameters: z.nullish(z.record(z.string(), z.string())),
});

/**
 * Middy middleware of every proxy handler: refuses an event that is no proxy event (ValidationError), and turns
 * every thrown error into an API response (so API Gateway never sees a 502).
 */
export function httpErrors(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    before: (request) => {
      parseInput(proxyEventParts, request.event);
    },
    onError: (request) => {
      request.response = errorResponse(request.error);
    },
  };
}

/**
 * The request body as JSON (base64 bodies decoded), or a ValidationError. A `__proto__` key is refused: no field
 * of this API has that name, and zod silently drops such keys (even from records such as an exam's Answers), so
 * the request would be taken to mean less than what was sent.
 */
export function parseJsonBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): unknown {
  if (event.body == null || event.body === '') throw new ValidationError('The request body is required');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  let hasPrototypeKey = false;
  let body: unknown;
  try {
    body = JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__') hasPrototypeKey = true;
      return value;
    });
  } catch {
    throw new ValidationError('The request body is not valid JSON');
  }
  if (hasPrototypeKey) throw new ValidationError('The request body must not contain a "__proto__" key');
  return body;
}
