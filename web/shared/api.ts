/**
 * Calls to the REST API of docs/contract.md. Every failure becomes an ApiError carrying the contract's
 * error name (or a name for what happened on the way: network, not JSON, API Gateway's own rejection),
 * so pages can choose words for the user; `plainMessage` gives the generic ones.
 */
import type { AppConfig } from './app-config';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    /** The contract's error name (ValidationError, RoomUnavailable, Unauthorized, Forbidden, ...), or NetworkError / HttpError. */
    readonly error: string,
    message: string,
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
  ) {
    super(message);
  }
}

export interface ApiRequest {
  method?: 'GET' | 'POST';
  body?: unknown;
  /** The signed-in member of staff's ID token (a staff route), sent as Authorization: Bearer. */
  idToken?: string;
  query?: Record<string, string>;
  /** Sent as the Idempotency-Key header (POST /incident): the same key and body again register nothing new. */
  idempotencyKey?: string;
}

export function apiUrl(config: AppConfig, path: string, query?: Record<string, string>): string {
  const search = query ? `?${new URLSearchParams(query).toString()}` : '';
  return `${config.apiBaseUrl}${path}${search}`;
}

export async function callApi<T>(config: AppConfig, path: string, request: ApiRequest = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (request.idToken) headers.authorization = `Bearer ${request.idToken}`;
  if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(apiUrl(config, path, request.query), {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
  } catch {
    throw new ApiError('NetworkError', 'The service could not be reached. Check your connection and try again.', 0);
  }
  const text = await response.text();
  let payload: unknown;
  try {
    payload = text === '' ? undefined : JSON.parse(text);
  } catch {
    payload = undefined;
  }
  if (response.ok) {
    if (payload === undefined)
      throw new ApiError('InvalidResponse', 'The service sent an answer this page cannot read.', response.status);
    return payload as T;
  }
  const body = (typeof payload === 'object' && payload !== null ? payload : {}) as {
    error?: unknown;
    message?: unknown;
    Message?: unknown;
  };
  const message =
    typeof body.message === 'string' ? body.message : typeof body.Message === 'string' ? body.Message : '';
  const error =
    typeof body.error === 'string' ? body.error : response.status === 403 ? 'Forbidden' : `Http${response.status}`;
  throw new ApiError(error, message, response.status);
}

/** Plain words for a failure, for anything a page does not word itself. */
export function plainMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something unexpected went wrong. Please try again.';
  if (error.error === 'NetworkError' || error.error === 'InvalidResponse') return error.message;
  if (error.status === 401) return 'Your sign-in has expired or is not valid. Sign in again and retry.';
  if (error.error === 'Forbidden') return 'Your account may not do this. Sign in with an account of the right group.';
  if (error.status === 429) return 'The service is busy right now. Wait a moment and try again.';
  if (error.status >= 500 || error.message === '')
    return 'Something went wrong on the server. Please try again in a moment.';
  return error.message;
}
