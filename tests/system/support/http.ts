/**
 * The REST API as a client program sees it: plain HTTP with fetch, JSON bodies, and a staff route's credentials
 * for the role it admits (tests/support/staff-auth.ts).
 */
import { type StaffRole, staffHeaders, staffRoleFor } from '../../support/staff-auth';

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
  /** The body as received, for messages when an assertion fails. */
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /**
   * Whose credentials go with the request: by default those of the role the route admits (staffRoleFor), or another
   * role's (to be refused), or null for none (the keyless Testing Centre routes, or a refusal).
   */
  as?: StaffRole | null;
  /** Further request headers (an Idempotency-Key, say, or credentials of the test's own making). */
  headers?: Record<string, string>;
}

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  /** The headers that let `role` through a staff route, for a request a test sends by hand. */
  credentials(role: StaffRole): Promise<Record<string, string>> {
    return staffHeaders({ apiUrl: this.baseUrl }, role);
  }

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
    const role = options.as === undefined ? staffRoleFor(path) : options.as;
    const credentials = role === null ? {} : await this.credentials(role);
    const headers: Record<string, string> = { ...credentials, ...options.headers };
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
