/** API Gateway (REST, Lambda proxy) responses: JSON bodies, the contract's error shape, CORS for the web pages. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { MiddlewareObj } from '@middy/core';
import { DomainError, ValidationError } from './errors';
import { logger } from './logger';

const headers = { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' };

export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers, body: JSON.stringify(body) };
}

/** A domain error becomes its status with `{"error","message"}`; anything else is logged and answered 500. */
export function errorResponse(error: unknown): APIGatewayProxyResult {
  if (error instanceof DomainError) {
    return jsonResponse(error.statusCode, { error: error.name, message: error.message });
  }
  logger.error('Unexpected error', error as Error);
  return jsonResponse(500, { error: 'InternalServerError', message: 'Something went wrong on our side. Please try again.' });
}

/** Middy middleware turning every thrown error into an API response (so API Gateway never sees a 502). */
export function httpErrors(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: (request) => {
      request.response = errorResponse(request.error);
    },
  };
}

/** The request body as JSON (base64 bodies decoded), or a ValidationError. */
export function parseJsonBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): unknown {
  if (event.body == null || event.body === '') throw new ValidationError('The request body is required');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('The request body is not valid JSON');
  }
}
