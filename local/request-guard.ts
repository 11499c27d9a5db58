/**
 * What keeps web pages out of the local cloud (docs/security.md section 6). A page in the developer's browser may
 * send requests to localhost, and a page whose own name the attacker rebinds to 127.0.0.1 (DNS rebinding) is
 * even same-origin with what it reaches. So every port we serve checks, before anything else:
 *   - the Host header: only this machine's names (localhost, 127.0.0.1, [::1], names under .localhost) and the
 *     address a server was told to listen on. A rebinding page's requests carry its own name, and are refused
 *     (403 HostNotAllowed);
 * and, where the local cloud's own state is (the /_local endpoints, the SES capture):
 *   - the origin: a request a browser sends for a page of another origin (its Origin header, or its Fetch Metadata
 *     saying cross-site or same-site, i.e. another port) is refused (403 CrossOriginRequestRefused), preflights
 *     included, and no answer carries an Access-Control-Allow-* header;
 *   - the content type of a state-changing call: application/json only (415 UnsupportedMediaType), which a
 *     browser cannot send to another origin without a preflight.
 *
 * Loaded both by the TypeScript of the local cloud and, through Node's type stripping, by the SES capture's own
 * process (ses-capture-process.mts): it imports nothing but types, and uses no syntax that needs more than
 * stripping them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestGuardOptions {
  /** Host names besides this machine's own: the address a server was configured to listen on. */
  allowedHosts?: readonly string[];
  /**
   * Prefixes a client may put before an allowed name: the AWS SDK sends StartSyncExecution to `sync-<endpoint
   * host>`, which some map to 127.0.0.1 themselves (the Step Functions API only).
   */
  hostPrefixes?: readonly string[];
}

export interface Refusal {
  status: number;
  error: 'HostNotAllowed' | 'CrossOriginRequestRefused' | 'UnsupportedMediaType';
  message: string;
}

/** This machine's own names: the loopback addresses and localhost (RFC 6761: names under .localhost too). */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

type RequestHead = Pick<IncomingMessage, 'method' | 'headers'>;

function header(request: RequestHead, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The name part of a Host header value (`name`, `name:port`, `[v6]`, `[v6]:port`), lower case. */
export function hostName(host: string): string {
  const value = host.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  const colon = value.indexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

/** Whether a Host header names this machine (or a name the options allow). */
export function isAllowedHost(host: string, options: RequestGuardOptions = {}): boolean {
  const name = hostName(host);
  const allowed = (candidate: string) =>
    LOOPBACK_HOSTS.includes(candidate) ||
    candidate.endsWith('.localhost') ||
    (options.allowedHosts ?? []).some((extra) => extra.toLowerCase() === candidate);
  if (allowed(name)) return true;
  return (options.hostPrefixes ?? []).some((prefix) => name.startsWith(prefix) && allowed(name.slice(prefix.length)));
}

/** 403 HostNotAllowed unless the Host header names this machine. A request without one (HTTP/1.0) is no browser's. */
export function hostRefusal(request: RequestHead, options: RequestGuardOptions = {}): Refusal | undefined {
  const host = header(request, 'host');
  if (host === undefined || isAllowedHost(host, options)) return undefined;
  const names = [...LOOPBACK_HOSTS, ...(options.allowedHosts ?? [])].join(', ');
  return {
    status: 403,
    error: 'HostNotAllowed',
    message:
      `The local cloud answers only to this machine's names (${names}), not to Host '${host}': a web page whose ` +
      'name points at 127.0.0.1 must not reach it (DNS rebinding). Open it as http://localhost:<port>; from ' +
      'another machine, through an SSH tunnel (ssh -L <port>:localhost:<port>), which keeps that name.',
  };
}

/**
 * 403 CrossOriginRequestRefused for what a browser sends on behalf of a page of another origin: an Origin header
 * other than this server's own (the one the Host header names), a CORS preflight, or Fetch Metadata saying the
 * request comes from another site or another port (Sec-Fetch-Site: cross-site, same-site), unless it is a plain
 * navigation (a link followed: GET or HEAD, mode navigate), which shows the page to the user and nothing to the
 * page that linked it. Clients that are no browser send none of these headers.
 */
export function crossOriginRefusal(request: RequestHead): Refusal | undefined {
  const method = (request.method ?? 'GET').toUpperCase();
  const origin = header(request, 'origin');
  const host = header(request, 'host');
  const refuse = (why: string): Refusal => ({
    status: 403,
    error: 'CrossOriginRequestRefused',
    message: `${why}: the local cloud's own endpoints answer only the pages it serves on this origin, and programs that are no browser.`,
  });
  if (origin !== undefined && !isSameOrigin(origin, host)) return refuse(`A page of ${origin} may not call this`);
  if (method === 'OPTIONS' && header(request, 'access-control-request-method') !== undefined)
    return refuse('CORS preflights are refused');
  const site = header(request, 'sec-fetch-site');
  const navigation = header(request, 'sec-fetch-mode') === 'navigate' && (method === 'GET' || method === 'HEAD');
  if ((site === 'cross-site' || site === 'same-site') && !navigation)
    return refuse(`A request from another ${site === 'cross-site' ? 'site' : 'origin of this machine'}`);
  return undefined;
}

/** Whether an Origin header value is the origin the request was sent to (scheme aside: a TLS proxy may be in front). */
function isSameOrigin(origin: string, host: string | undefined): boolean {
  const own = `http://${(host ?? '').trim().toLowerCase()}`;
  if (host === undefined || !URL.canParse(origin) || !URL.canParse(own)) return false;
  return new URL(origin).host === new URL(own).host;
}

/** 415 UnsupportedMediaType for a state-changing call (any method but GET, HEAD) without Content-Type: application/json. */
export function jsonBodyRefusal(request: RequestHead): Refusal | undefined {
  const method = (request.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD') return undefined;
  const type = (header(request, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') return undefined;
  return {
    status: 415,
    error: 'UnsupportedMediaType',
    message: `${method} needs Content-Type: application/json (got ${type ? `'${type}'` : 'none'}), e.g. curl -H 'content-type: application/json' -d '{...}'.`,
  };
}

/**
 * Every check a local-only endpoint makes, in order: Host, origin, then the JSON content type of a state-changing
 * call (`requireJson`). The first refusal, or undefined when the request may go on.
 */
export function localRequestRefusal(
  request: RequestHead,
  options: RequestGuardOptions & { requireJson?: boolean } = {},
): Refusal | undefined {
  return (
    hostRefusal(request, options) ??
    crossOriginRefusal(request) ??
    (options.requireJson ? jsonBodyRefusal(request) : undefined)
  );
}

/** Answers a refusal as JSON `{"error","message"}`, with no CORS header, and closes the connection. */
export function sendRefusal(
  response: ServerResponse,
  refusal: Refusal,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify({ error: refusal.error, message: refusal.message });
  response.writeHead(refusal.status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    Connection: 'close',
  });
  response.end(text);
}
