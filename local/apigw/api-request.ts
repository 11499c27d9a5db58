import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LOCAL_ACCOUNT_ID } from '../template/intrinsics';
import type { ApiMethod, RestApi } from './model';
import { nameMap } from './name-map';
import { localGatewayId } from './openapi-import';

/** An incoming request as API Gateway sees it before routing. */
export interface ApiRequest {
  httpMethod: string;
  /** The URL path as sent (still percent-encoded), without the query string. */
  path: string;
  /** Header names as the client sent them; a repeated header keeps its last value here. */
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  query: Record<string, string>;
  multiValueQuery: Record<string, string[]>;
  body: Buffer;
  sourceIp: string;
  host: string;
  receivedAt: Date;
  requestId: string;
}

export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024; // API Gateway's 10 MB request payload limit

export class PayloadTooLargeError extends Error {
  constructor() {
    super('Request Too Long');
    this.name = 'PayloadTooLargeError';
  }
}

/**
 * The whole body, held in memory only up to API Gateway's limit: a declared Content-Length over it is refused
 * before a byte is read, a chunked body as soon as it passes it. A refused body is still read to its end and
 * dropped (never destroyed mid-way: closing a socket the client is still writing to resets the connection,
 * and the client may lose the 413 it was sent).
 */
export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const refuse = () => {
      request.removeAllListeners('data');
      chunks.length = 0;
      request.resume();
      reject(new PayloadTooLargeError());
    };
    if (Number(request.headers['content-length'] ?? 0) > MAX_PAYLOAD_BYTES) return refuse();
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) refuse();
      else chunks.push(chunk);
    });
    request.once('end', () => resolve(Buffer.concat(chunks)));
    // The client went away mid-body: 'end' never comes (a settled promise ignores this).
    request.once('close', () => reject(new Error('the client closed the connection before the body ended')));
    request.once('error', reject);
  });
}

/**
 * The request line and headers (the body is read separately: it may be refused as too large). Every map is
 * keyed by names the client chose, hence name maps (a parameter may be called `constructor` or `__proto__`).
 */
export function requestHead(request: IncomingMessage): Omit<ApiRequest, 'body'> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  // A header repeated in another case is the same header: it keeps the case it was first sent in.
  const headerNames = new Map<string, string>();
  const multiValueHeaders = nameMap<string[]>();
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i].toLowerCase();
    const name = headerNames.get(lower) ?? raw[i];
    headerNames.set(lower, name);
    multiValueHeaders[name] ??= [];
    multiValueHeaders[name].push(raw[i + 1]);
  }
  const multiValueQuery = nameMap<string[]>();
  for (const [name, value] of url.searchParams) {
    multiValueQuery[name] ??= [];
    multiValueQuery[name].push(value);
  }
  const last = (values: Record<string, string[]>) =>
    nameMap(Object.entries(values).map(([name, list]) => [name, list[list.length - 1]] as const));
  return {
    httpMethod: (request.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    headers: last(multiValueHeaders),
    multiValueHeaders,
    query: last(multiValueQuery),
    multiValueQuery,
    sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    host: request.headers.host ?? 'localhost',
    receivedAt: new Date(),
    requestId: randomUUID(),
  };
}

/** A header's value whatever the case of its name. */
export function header(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

/** The MIME type of a Content-Type or Accept value, lower case, parameters dropped. */
export function mimeType(value: string | undefined): string | undefined {
  const type = value?.split(';')[0].trim().toLowerCase();
  return type ? type : undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** CLF time, as `$context.requestTime`: `09/Apr/2015:12:34:56 +0000`. */
export function clfTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/**
 * The request context API Gateway builds for every request: the Lambda proxy event's `requestContext` and
 * the `$context` of mapping templates. `method` is undefined before a route matched (gateway responses).
 */
export function requestContext(
  request: Omit<ApiRequest, 'body'>,
  api: RestApi,
  method: ApiMethod | undefined,
  apiKey: string | null,
  /** What a Cognito user pool authorizer found in the token (undefined when the method has none). */
  authorizer?: { claims: Record<string, string> },
) {
  const domainName = request.host;
  return {
    ...(authorizer ? { authorizer } : {}),
    resourceId: method ? localGatewayId(`${api.logicalId}${method.resourcePath}`).slice(0, 6) : undefined,
    resourcePath: method?.resourcePath,
    httpMethod: request.httpMethod,
    extendedRequestId: `${request.requestId.replace(/-/g, '').slice(0, 16)}=`,
    requestTime: clfTime(request.receivedAt),
    path: `/${api.stageName}${request.path}`,
    accountId: LOCAL_ACCOUNT_ID,
    protocol: 'HTTP/1.1',
    stage: api.stageName,
    domainPrefix: domainName.split('.')[0].split(':')[0],
    requestTimeEpoch: request.receivedAt.getTime(),
    requestId: request.requestId,
    identity: {
      cognitoIdentityPoolId: null,
      accountId: null,
      cognitoIdentityId: null,
      caller: null,
      sourceIp: request.sourceIp,
      principalOrgId: null,
      accessKey: null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: null,
      userAgent: header(request.headers, 'user-agent') ?? null,
      user: null,
      apiKey,
      apiKeyId: apiKey === null ? null : 'localapikey',
    },
    domainName,
    apiId: api.id,
  };
}

export type RequestContext = ReturnType<typeof requestContext>;
