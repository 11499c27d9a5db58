import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaInvoker } from '../lambda-runner';
import type { Template } from '../template/load';
import { configScript, type AppConfig, type SignInConfig } from '../../web/shared/app-config';
import { CognitoAuthorizer, type LocalUserPool } from './cognito-authorizer';
import { PayloadTooLargeError, readBody, requestContext, requestHead } from './api-request';
import { sendApiResponse } from './api-response';
import { gatewayResponse } from './gateway-responses';
import { tracesAnswer } from './local-traces';
import { loadRestApis } from './load-apis';
import { executeMethod } from './method-execution';
import { ApiDefinitionError, type RestApi } from './model';
import { nameMap } from './name-map';
import { RequestValidation } from './request-validation';
import { RouteTable } from './routes';
import { serveStatic } from './static-files';
import { pageHeadersFromTemplate } from './page-headers';
import { loggableTarget } from './request-log';
import { requestTimeouts } from '../request-limits';
import type { Trace } from '../xray/collector';
import { crossOriginRefusal, hostRefusal, jsonBodyRefusal, sendRefusal, type Refusal } from '../request-guard';
import { forward, OUTBOX_PATH, proxyTarget, type LocalServiceEndpoints } from './local-proxy';

/**
 * The local API Gateway: the template's REST API(s) served at their resource paths (no stage prefix), plus the
 * web pages, `/config.js` (the pages' API base URL), `/_local/health`, `/_local/traces` and the local services'
 * dashboard endpoints (local-proxy.ts) on the same port.
 *
 * No web page of another site may use it to reach the local cloud (local/request-guard.ts): every request must name
 * this machine in its Host header; under /_local/ requests from another origin are refused and a state-changing call
 * must be JSON. The REST API's routes answer other origins with the CORS the template gives them, as in AWS.
 */

export interface HealthReport {
  ok: boolean;
  [detail: string]: unknown;
}

export interface ApiGatewayOptions {
  port: number;
  template: Template;
  lambda: LambdaInvoker;
  /** The local Step Functions API (AWS JSON 1.0), e.g. http://localhost:8083. */
  sfnEndpoint: string;
  /**
   * The one API key the local usage plan accepts, for a template whose routes take one (x-api-key); without it such
   * routes refuse every request, as in AWS a key no usage plan holds. The project's template has none: its staff routes
   * take Cognito sign-in.
   */
  apiKey?: string;
  /** The user pools the local Cognito service holds (its authorizers verify their tokens); none by default. */
  userPools?: LocalUserPool[];
  /** What `GET /_local/cognito` answers (the contract's endpoint, region, userPoolId and clientId); the pages sign in there. */
  cognito?: Required<SignInConfig>;
  /** The built pages (dist/web). */
  webRoot: string;
  region: string;
  /** Whether every part of the local cloud is up; `/_local/health` answers 200 only when it says ok. */
  health?: () => Promise<HealthReport>;
  /** The X-Ray traces the functions sent, newest first; `/_local/traces` serves them as trees (local/apigw/local-traces.ts). */
  traces?: () => readonly Trace[];
  /** Extra fields of `window.APP_CONFIG` (links to the other local services); apiBaseUrl and local are set here. */
  pageConfig?: Omit<AppConfig, 'apiBaseUrl' | 'local'>;
  /**
   * The local services whose dashboard endpoints the pages read on this origin (local-proxy.ts): with them,
   * `/config.js` points the pages' sfnDashboardBase and outboxUrl here.
   */
  localServices?: LocalServiceEndpoints;
  /** Interface to listen on; 127.0.0.1 unless told otherwise (never the whole network by default). */
  host?: string;
  /** Receives one line per request; console.log by default. */
  log?: (line: string) => void;
  /**
   * How long a client may take to send a whole request, headers and body (default 30 s, local/request-limits.ts): an unfinished upload is
   * then answered 408 and its connection closed, so slow or stalled bodies cannot hold memory (up to 10 MB each).
   */
  requestTimeoutMs?: number;
}

export interface ApiGatewayServer {
  url: string;
  close(): Promise<void>;
}

/** The first segment of the paths where the web pages live. */
const PAGE_PREFIXES = new Set(['admin', 'testcentre', 'callcenter', '_local']);

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

/** Checks at start that every Lambda proxy names a function of the template. */
function checkLambdaTargets(apis: RestApi[], template: Template): void {
  for (const api of apis) {
    for (const method of api.methods) {
      if (method.integration.type !== 'aws_proxy') continue;
      const name =
        /^arn:aws[\w-]*:lambda:[\w-]+:\d+:function:([^:]+)(?::[^:]+)?$/.exec(method.integration.target!)?.[1] ??
        method.integration.target!;
      const resource = template.Resources[name];
      if (!resource || (resource.Type !== 'AWS::Serverless::Function' && resource.Type !== 'AWS::Lambda::Function')) {
        throw new ApiDefinitionError(
          `${api.logicalId} ${method.httpMethod} ${method.resourcePath}: the Lambda proxy calls ${method.integration.target}, which is no function of the template`,
        );
      }
    }
  }
}

export async function startApiGateway(options: ApiGatewayOptions): Promise<ApiGatewayServer> {
  const apis = loadRestApis(options.template, options.region);
  if (apis.length === 0)
    throw new ApiDefinitionError('the template defines no REST API (AWS::Serverless::Api or Api events)');
  checkLambdaTargets(apis, options.template);
  const routes = new RouteTable(apis);
  const validation = new RequestValidation();
  for (const method of routes.all()) validation.prepare(method);
  const log = options.log ?? ((line: string) => console.log(line));
  const deps = {
    apis,
    routes,
    lambda: options.lambda,
    sfnEndpoint: options.sfnEndpoint,
    apiKey: options.apiKey,
    cognito: new CognitoAuthorizer(options.userPools ?? []),
    validation,
  };
  // The pages fetch from their own origin (the API) and, on the dashboards, from the local services named here.
  const serviceOrigins = [
    options.pageConfig?.sfnDashboardBase,
    options.pageConfig?.outboxUrl,
    options.cognito?.endpoint,
  ]
    .filter((url): url is string => typeof url === 'string' && URL.canParse(url))
    .map((url) => new URL(url).origin);
  const pageHeaders = pageHeadersFromTemplate(options.template, [...new Set(serviceOrigins)]);

  async function health(res: ServerResponse): Promise<void> {
    const report = options.health
      ? await options.health().catch((error: Error) => ({ ok: false, error: error.message }))
      : { ok: true };
    const { ok, ...details } = report;
    if (ok) sendJson(res, 200, { status: 'ok' });
    else sendJson(res, 503, { status: 'unavailable', ...details });
  }

  // The address it was told to listen on is a name of this server too (a wildcard address names nothing).
  const listenHost = options.host && !['0.0.0.0', '::'].includes(options.host) ? options.host : undefined;
  const allowedHosts = listenHost ? [listenHost.includes(':') ? `[${listenHost}]` : listenHost] : [];
  const refuse = (res: ServerResponse, refusal: Refusal) => {
    sendRefusal(res, refusal);
    return { status: refusal.status, note: refusal.error };
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<{ status: number; note?: string }> {
    // Node accepts any absolute-form target (`GET http://[x/ HTTP/1.1`); one that is no URL is the client's fault.
    if (!URL.canParse(req.url ?? '/', 'http://localhost')) {
      sendJson(res, 400, { message: 'Bad Request: the request target is not a valid URL' });
      return { status: 400, note: 'request target is not a URL' };
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const isRead = method === 'GET' || method === 'HEAD';
    const firstSegment = url.pathname.split('/')[1] ?? '';

    const foreignHost = hostRefusal(req, { allowedHosts });
    if (foreignHost) return refuse(res, foreignHost);
    const isLocal = firstSegment === '_local';
    const crossOrigin = isLocal ? crossOriginRefusal(req) : undefined;
    if (crossOrigin) return refuse(res, crossOrigin);

    if (isRead && url.pathname === '/_local/health') {
      await health(res);
      return { status: res.statusCode };
    }
    const traces = isRead && options.traces ? tracesAnswer(url.pathname, url.searchParams, options.traces) : undefined;
    if (traces) {
      sendJson(res, traces.status, traces.body);
      return { status: traces.status };
    }
    if (isRead && url.pathname === '/_local/cognito' && options.cognito) {
      sendJson(res, 200, options.cognito);
      return { status: 200 };
    }
    if (isRead && url.pathname === '/config.js') {
      const origin = `http://${req.headers.host ?? `localhost:${options.port}`}`;
      const dashboards = options.localServices
        ? { sfnDashboardBase: origin, outboxUrl: `${origin}${OUTBOX_PATH}` }
        : {};
      const script = configScript({
        ...options.pageConfig,
        ...dashboards,
        apiBaseUrl: origin,
        local: true,
        cognito: options.cognito,
      });
      res
        .writeHead(200, {
          ...pageHeaders,
          'Content-Type': 'text/javascript; charset=utf-8',
          'Cache-Control': 'no-cache',
        })
        .end(method === 'HEAD' ? undefined : script);
      return { status: 200 };
    }
    const target = isLocal && options.localServices && proxyTarget(url.pathname, url.search, options.localServices);
    if (target) {
      if (target.readOnly && !isRead) {
        sendJson(res, 405, {
          error: 'MethodNotAllowed',
          message: `${method} ${url.pathname} is not supported: use GET`,
        });
        return { status: 405 };
      }
      const notJson = jsonBodyRefusal(req);
      if (notJson) return refuse(res, notJson);
      return { status: await forward(req, res, target) };
    }
    if (isLocal && !isRead) {
      sendJson(res, 404, { error: 'NotFound', message: `No local endpoint ${method} ${url.pathname}` });
      return { status: 404 };
    }
    if (isRead && PAGE_PREFIXES.has(firstSegment)) {
      if (
        (await serveStatic(options.webRoot, url.pathname, url.search, res, method === 'HEAD', pageHeaders)) === 'served'
      )
        return { status: res.statusCode };
      sendJson(res, 404, { message: 'Not Found' });
      return { status: 404, note: `no such file in ${options.webRoot}` };
    }

    const head = requestHead(req);
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (!(error instanceof PayloadTooLargeError)) throw error;
      // Refused at the door, before any API's gateway responses apply (an edge API's CloudFront answers it in plain
      // text): the API's own REQUEST_TOO_LARGE response is for an event over Lambda's 6 MB (integrations/lambda-proxy.ts).
      const api = { ...apis[0], gatewayResponses: {} };
      const context = requestContext(head, api, undefined, null);
      const params = { path: nameMap<string>(), querystring: head.query, header: head.headers };
      sendApiResponse(
        res,
        gatewayResponse(
          api,
          { type: 'REQUEST_TOO_LARGE' },
          { request: params, context, stageVariables: api.stageVariables },
        ),
        head.requestId,
        false,
      );
      return { status: res.statusCode, note: 'request body over 10 MB' };
    }
    const request = { ...head, body };
    // Files at the web root (the landing page, the shared stylesheet) where no API resource is.
    if (isRead && !routes.match(request.httpMethod, request.path)) {
      if (
        (await serveStatic(options.webRoot, url.pathname, url.search, res, method === 'HEAD', pageHeaders)) === 'served'
      )
        return { status: res.statusCode };
    }
    const { response, reason } = await executeMethod(request, deps);
    sendApiResponse(res, response, request.requestId, method === 'HEAD');
    return { status: response.statusCode, note: reason };
  }

  const server = createServer(requestTimeouts(options.requestTimeoutMs), (req, res) => {
    const started = performance.now();
    handle(req, res)
      .catch((thrown: unknown) => {
        // Anything can be thrown (a template library may throw a string): reading .stack off it must not
        // turn this handler into an unhandled rejection, which would end the whole local cloud.
        const error = thrown instanceof Error ? thrown : new Error(String(thrown));
        if (!res.headersSent) sendJson(res, 500, { message: 'Internal server error' });
        else res.destroy(error);
        return { status: 500, note: error.stack ?? error.message };
      })
      .then(({ status, note }) => {
        const ms = Math.round(performance.now() - started);
        log(`[apigw] ${req.method} ${loggableTarget(req.url ?? '/')} ${status} ${ms}ms${note ? ` (${note})` : ''}`);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
