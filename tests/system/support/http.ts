/**
 * The REST API as a client program sees it: plain HTTP with fetch, JSON bodies, the x-api-key header.
 */
export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
  /** The body as received, for messages when an assertion fails. */
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** The x-api-key header: the client's key by default, another value, or null to send none. */
  apiKey?: string | null;
  /** Further request headers (an Idempotency-Key, say). */
  headers?: Record<string, string>;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly apiKey: string,
  ) {}

  get<T = Record<string, unknown>>(path: string, options: RequestOptions = {}): Promise<ApiAnswer<T>> {
    return this.request<T>('GET', path, options);
  }

  post<T = Record<string, unknown>>(
    path: string,
    body: unknown,
    options: Omit<RequestOptions, 'body'> = {},
  ): Promise<ApiAnswer<T>> {
    return this.request<T>('POST', path, { ...options, body });
  }

  async request<T>(method: string, path: string, options: RequestOptions): Promise<ApiAnswer<T>> {
    const url = path.startsWith('http') ? path : `${this.baseUrl}${path}`;
    const apiKey = options.apiKey === undefined ? this.apiKey : options.apiKey;
    const headers: Record<string, string> = { ...options.headers };
    if (apiKey !== null) headers['x-api-key'] = apiKey;
    let payload: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const response = await fetch(url, { method, headers, body: payload });
    const text = await response.text();
    let body: T;
    try {
      body = (text ? JSON.parse(text) : {}) as T;
    } catch {
      throw new Error(
        `${method} ${url} answered ${response.status} with a body that is not JSON: ${text.slice(0, 300)}`,
      );
    }
    return { status: response.status, body, text };
  }
}
