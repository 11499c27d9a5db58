import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { LambdaInvokeResult, LambdaInvoker } from '../../lambda-runner';
import { header, mimeType, type ApiRequest, type RequestContext } from '../api-request';
import type { ApiResponse } from '../api-response';
import type { GatewayError } from '../gateway-responses';
import type { ApiMethod } from '../model';
import { nameMap } from '../name-map';
import { IntegrationTimeout, withTimeout } from './timeout';

/**
 * Lambda proxy integration (`aws_proxy`), REST API payload version 1.0: the event API Gateway builds from the
 * request, and the rules it applies to what the function returns.
 */

/** Whether `type` is one of the API's binary media types (`image/*` and `*\/*` wildcards allowed). */
export function isBinaryType(binaryMediaTypes: string[], type: string | undefined): boolean {
  if (!type) return false;
  return binaryMediaTypes.some((pattern) => {
    const [major, minor] = pattern.toLowerCase().split('/');
    const [tMajor, tMinor] = type.split('/');
    return (major === '*' || major === tMajor) && (minor === '*' || minor === tMinor);
  });
}

export function proxyEvent(
  request: ApiRequest,
  method: ApiMethod,
  pathParameters: Record<string, string>,
  context: RequestContext,
): APIGatewayProxyEvent {
  const { api } = method;
  const binary = isBinaryType(api.binaryMediaTypes, mimeType(header(request.headers, 'content-type')));
  const hasQuery = Object.keys(request.query).length > 0;
  return {
    resource: method.resourcePath,
    path: request.path,
    httpMethod: request.httpMethod,
    headers: request.headers,
    multiValueHeaders: request.multiValueHeaders,
    queryStringParameters: hasQuery ? request.query : null,
    multiValueQueryStringParameters: hasQuery ? request.multiValueQuery : null,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    stageVariables: Object.keys(api.stageVariables).length > 0 ? api.stageVariables : null,
    requestContext: context as unknown as APIGatewayProxyEvent['requestContext'],
    body: request.body.length === 0 ? null : request.body.toString(binary ? 'base64' : 'utf8'),
    isBase64Encoded: binary && request.body.length > 0,
  };
}

const ALLOWED_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

const MALFORMED: GatewayError = { type: 'DEFAULT_5XX', status: 502, message: 'Internal server error' };

function headerValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * The method response for a function's result, or API Gateway's 502 "Internal server error" when the result is
 * not a proxy response: not an object, a key other than statusCode/headers/multiValueHeaders/body/
 * isBase64Encoded, a statusCode that is no HTTP status, a body that is not a string, a header that is not text.
 */
export function proxyResult(
  payload: unknown,
  request: ApiRequest,
  method: ApiMethod,
): { response: ApiResponse } | { error: GatewayError; reason: string } {
  const malformed = (reason: string) => ({ error: MALFORMED, reason: `Malformed Lambda proxy response: ${reason}` });
  if (!payload || typeof payload !== 'object' || Array.isArray(payload))
    return malformed('the function did not return an object');
  const result = payload as Record<string, unknown>;
  const extra = Object.keys(result).filter((key) => !ALLOWED_KEYS.has(key));
  if (extra.length > 0) return malformed(`unexpected key(s) ${extra.join(', ')}`);
  const statusCode =
    typeof result.statusCode === 'string' && /^\d+$/.test(result.statusCode)
      ? Number(result.statusCode)
      : result.statusCode;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return malformed(`statusCode ${JSON.stringify(result.statusCode)} is not an HTTP status code`);
  }
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string')
    return malformed('body must be a string');
  if (
    result.isBase64Encoded !== undefined &&
    result.isBase64Encoded !== null &&
    typeof result.isBase64Encoded !== 'boolean'
  ) {
    return malformed('isBase64Encoded must be true or false');
  }
  // The function chooses the names (perhaps from the request): a name map, so `__proto__` is a header like any other.
  const headers = nameMap<string[]>();
  const multi = result.multiValueHeaders ?? {};
  if (typeof multi !== 'object' || Array.isArray(multi)) return malformed('multiValueHeaders must be an object');
  for (const [name, values] of Object.entries(multi as Record<string, unknown>)) {
    if (!Array.isArray(values)) return malformed(`multiValueHeaders.${name} must be a list`);
    const texts = values.map(headerValue);
    if (texts.some((text) => text === undefined))
      return malformed(`multiValueHeaders.${name} holds a value that is not text`);
    headers[name] = texts as string[];
  }
  const single = result.headers ?? {};
  if (typeof single !== 'object' || Array.isArray(single)) return malformed('headers must be an object');
  for (const [name, value] of Object.entries(single as Record<string, unknown>)) {
    const text = headerValue(value);
    if (text === undefined) return malformed(`headers.${name} is not text`);
    // Both given: the values are merged, a pair present in both appearing once.
    const existing = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());
    if (existing === undefined) headers[name] = [text];
    else if (!headers[existing].includes(text)) headers[existing].push(text);
  }
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type'))
    headers['Content-Type'] = ['application/json'];
  const text = (result.body as string | null | undefined) ?? '';
  const accept = mimeType(header(request.headers, 'accept'));
  const decode = result.isBase64Encoded === true && isBinaryType(method.api.binaryMediaTypes, accept);
  return { response: { statusCode, headers, body: decode ? Buffer.from(text, 'base64') : text } };
}

export async function invokeLambdaProxy(
  lambda: LambdaInvoker,
  request: ApiRequest,
  method: ApiMethod,
  pathParameters: Record<string, string>,
  context: RequestContext,
): Promise<{ response: ApiResponse } | { error: GatewayError; reason: string }> {
  const event = proxyEvent(request, method, pathParameters, context);
  const target = method.integration.target!;
  let result: LambdaInvokeResult;
  try {
    result = await withTimeout(method.integration.timeoutMs, () => lambda.invoke(target, event));
  } catch (error) {
    if (error instanceof IntegrationTimeout) return { error: { type: 'INTEGRATION_TIMEOUT' }, reason: error.message };
    // An event over Lambda's 6 MB invoke payload (a body under API Gateway's 10 MB can make one, whitespace
    // included): AWS answers the REQUEST_TOO_LARGE gateway response, 413 "Request Too Long" with x-amzn-ErrorType
    // BadRequestException (recorded: koki-develop/lgtm-generator#10), which an API may customise.
    if ((error as Error).name === 'RequestTooLargeException') {
      return {
        error: { type: 'REQUEST_TOO_LARGE', errorType: 'BadRequestException' },
        reason: `Lambda invoke of ${target} refused the event: ${(error as Error).message}`,
      };
    }
    return {
      error: { type: 'API_CONFIGURATION_ERROR' },
      reason: `Lambda invoke of ${target} failed: ${(error as Error).message}`,
    };
  }
  if (result.functionError) {
    const detail = result.payload as { errorType?: string; errorMessage?: string } | undefined;
    return {
      error: MALFORMED,
      reason: `Lambda function ${target} failed: ${detail?.errorType ?? 'Error'}: ${detail?.errorMessage ?? ''}`,
    };
  }
  return proxyResult(result.payload, request, method);
}
