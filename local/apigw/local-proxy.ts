/**
 * The local services' endpoints the pages read, served on the pages' own origin (the API port): the Step Functions
 * API's dashboard endpoints (`/_local/clock`, `/_local/faults`, `/_local/state-machines`, `/_local/executions[/…]`,
 * the same paths there) and the SES capture's outbox (`GET /_local/outbox` = its `GET /store`). So the pages never
 * call another origin, and neither service needs to grant one with CORS (docs/security.md section 6); the API port
 * makes the same checks the services make (local/request-guard.ts) before it forwards anything.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';

export const OUTBOX_PATH = '/_local/outbox';

const SFN_DASHBOARD_PATH = /^\/_local\/(?:clock|faults|state-machines|executions)(?:\/.*)?$/;

/** Where the local services listen (http://127.0.0.1:<port>). */
export interface LocalServiceEndpoints {
  sfn: string;
  ses: string;
}

export interface ProxyTarget {
  url: URL;
  /** What the service is called, for an error message. */
  service: string;
  /** Only GET and HEAD are forwarded (the outbox). */
  readOnly: boolean;
}

/** Where a request for `pathname` goes, or undefined when it is not one of the forwarded endpoints. */
export function proxyTarget(
  pathname: string,
  search: string,
  services: LocalServiceEndpoints,
): ProxyTarget | undefined {
  if (pathname.replace(/\/+$/, '') === OUTBOX_PATH)
    return { url: new URL(`/store${search}`, services.ses), service: 'the SES capture', readOnly: true };
  if (SFN_DASHBOARD_PATH.test(pathname))
    return { url: new URL(`${pathname}${search}`, services.sfn), service: 'the Step Functions API', readOnly: false };
  return undefined;
}

/** A service that does not answer within this long is reported, not waited on. */
const UPSTREAM_TIMEOUT_MS = 15_000;

/**
 * Sends the request on to the target (its method, body and content type; nothing that names the browser or its
 * origin) and its answer back (status, content type, body). Resolves with the status sent.
 */
export function forward(req: IncomingMessage, res: ServerResponse, target: ProxyTarget): Promise<number> {
  return new Promise((resolve) => {
    const fail = (status: number, error: string, message: string) => {
      if (!res.headersSent) {
        const text = JSON.stringify({ error, message });
        res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
      } else res.destroy();
      resolve(status);
    };
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'content-length', 'accept']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const upstream = httpRequest(
      target.url,
      { method: req.method, headers, agent: false, timeout: UPSTREAM_TIMEOUT_MS },
      (answer) => {
        const status = answer.statusCode ?? 502;
        const out: Record<string, string> = { 'Cache-Control': 'no-store' };
        for (const name of ['content-type', 'content-length']) {
          const value = answer.headers[name];
          if (typeof value === 'string') out[name] = value;
        }
        res.writeHead(status, out);
        answer.pipe(res);
        answer.once('end', () => resolve(status));
        answer.once('error', () => {
          res.destroy();
          resolve(status);
        });
      },
    );
    upstream.once('timeout', () => upstream.destroy(new Error('timeout')));
    upstream.once('error', (error) =>
      fail(
        error.message === 'timeout' ? 504 : 502,
        'ServiceUnavailable',
        `${target.service} at ${target.url.origin} did not answer (${error.message}); if it is restarting, try again in a moment`,
      ),
    );
    req.pipe(upstream);
  });
}
