import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ApiRequest } from '../../local/apigw/api-request';
import { proxyResult } from '../../local/apigw/integrations/lambda-proxy';
import { evaluateMappingExpression } from '../../local/apigw/mapping-expressions';
import { gatewayResponse } from '../../local/apigw/gateway-responses';
import type { ApiMethod, RestApi } from '../../local/apigw/model';
import { nameMap } from '../../local/apigw/name-map';
import { RequestValidation } from '../../local/apigw/request-validation';
import { startApiGateway, type ApiGatewayServer } from '../../local/apigw/server';
import { templateContext, templateVariables } from '../../local/apigw/vtl/template-variables';
import { renderVelocity } from '../../local/apigw/vtl/velocity';
import { loadTemplate } from '../../local/template/load';
import { FakeLambda, FakeStepFunctions } from './fakes';

/**
 * Requests a browser or fetch() never sends (fetch normalises `..`, `%2e%2e` and backslashes away before
 * they leave the client), written straight to a socket: none may leave the web root, answer a 500 or leave
 * its request handler hanging, and the server answers the next request as usual.
 */

const KEY = 'test-key';
const template = loadTemplate(path.join(__dirname, 'fixtures', 'api.yaml'));
const lambda = new FakeLambda({
  EchoFunction: (event) => ({
    statusCode: 200,
    body: JSON.stringify({ path: event.path, pathParameters: event.pathParameters }),
  }),
});

let sfn: FakeStepFunctions;
let gateway: ApiGatewayServer;
let port: number;
let webRoot: string;
let secretDir: string;
/** Called with every log line (one per finished request). */
const logWatchers = new Set<(line: string) => void>();

/** Resolves with the log line of the first request that finishes with a line matching `pattern`. */
function logged(pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const watcher = (line: string) => {
      if (!pattern.test(line)) return;
      logWatchers.delete(watcher);
      resolve(line);
    };
    logWatchers.add(watcher);
  });
}

/**
 * Sends `target` as the request line's target exactly as written (node:http checks only for spaces and
 * control characters), answering the status and body.
 */
function rawGet(target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path: target, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

beforeAll(async () => {
  sfn = new FakeStepFunctions();
  await sfn.start();
  // The web root sits inside a directory holding a secret: a path that escapes the root would find it.
  secretDir = mkdtempSync(path.join(tmpdir(), 'apigw-hostile-'));
  writeFileSync(path.join(secretDir, 'secret.txt'), 'TOP-SECRET');
  webRoot = path.join(secretDir, 'web');
  mkdirSync(path.join(webRoot, 'admin'), { recursive: true });
  writeFileSync(path.join(webRoot, 'admin', 'index.html'), '<!doctype html><title>admin</title>');
  writeFileSync(path.join(webRoot, 'admin', 'big.js'), Buffer.alloc(8 * 1024 * 1024, 'x'));
  gateway = await startApiGateway({
    port: 0,
    template,
    lambda,
    sfnEndpoint: sfn.url,
    apiKey: KEY,
    webRoot,
    region: 'eu-west-1',
    log: (line) => {
      for (const watch of logWatchers) watch(line);
    },
  });
  port = Number(new URL(gateway.url).port);
});

afterAll(async () => {
  await gateway?.close();
  await sfn?.stop();
  rmSync(secretDir, { recursive: true, force: true });
});

test('no raw path leaves the web root: dot segments, encoded dots and slashes, backslashes, null bytes', async () => {
  const attempts = [
    '/admin/../secret.txt',
    '/admin/../../secret.txt',
    '/admin/%2e%2e/secret.txt',
    '/admin/%2E%2E%2Fsecret.txt',
    '/admin/..%2fsecret.txt',
    '/admin/..%5csecret.txt',
    '/admin/..\\secret.txt',
    '/admin/..\\..\\secret.txt',
    '/admin/%2e%2e%5csecret.txt',
    '/admin/%00../secret.txt',
    '/admin/index.html%00.js',
    '/admin/%',
    '/admin/%zz/../../secret.txt',
    '/%2e%2e/secret.txt',
    '//admin/../secret.txt',
  ];
  for (const attempt of attempts) {
    const response = await rawGet(attempt);
    expect({ attempt, leaked: response.body.includes('TOP-SECRET'), failed: response.status >= 500 }).toEqual({
      attempt,
      leaked: false,
      failed: false,
    });
  }
  const page = await rawGet('/admin/');
  expect(page).toEqual({ status: 200, body: '<!doctype html><title>admin</title>' });
});

test('a request target that is no URL is a 400 saying so, not a 500', async () => {
  const response = await rawGet('http://[bad/admin/');
  expect(response.status).toBe(400);
  expect(JSON.parse(response.body)).toEqual({ message: 'Bad Request: the request target is not a valid URL' });
});

test('a client that goes away mid-body or mid-download leaves nothing hanging, and the next request is served', async () => {
  const bodyAborted = logged(/^\[apigw\] POST \/public /);
  const socket = net.connect(port, '127.0.0.1', () => {
    socket.write(
      'POST /public HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"Stud',
    );
    socket.destroy();
  });
  await bodyAborted;

  // The 8 MiB file cannot be in the socket buffers at once: the client hangs up with the file half sent.
  const downloadAborted = logged(/^\[apigw\] GET \/admin\/big\.js /);
  const download = net.connect(port, '127.0.0.1', () =>
    download.write('GET /admin/big.js HTTP/1.1\r\nHost: localhost\r\n\r\n'),
  );
  download.once('data', () => download.destroy());
  await downloadAborted;

  const next = await fetch(`${gateway.url}/items/1`, { headers: { 'x-api-key': KEY } });
  expect(next.status).toBe(200);
  expect(await next.json()).toEqual({ path: '/items/1', pathParameters: { ItemId: '1' } });
});

/** Writes a raw request and answers the status line of the first answer and the number of body bytes written. */
function streamBody(
  head: string,
  chunks: number,
  chunk: Buffer,
  chunked: boolean,
): Promise<{ statusLine: string; written: number }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let written = 0;
    let answer = '';
    socket.on('data', (data: Buffer) => {
      answer += data.toString('latin1');
      if (answer.includes('\r\n\r\n')) {
        socket.destroy();
        resolve({ statusLine: answer.split('\r\n')[0], written });
      }
    });
    socket.on('error', reject);
    socket.write(head);
    let sent = 0;
    const pump = () => {
      while (sent < chunks && !socket.destroyed) {
        sent++;
        written += chunk.length;
        const data = chunked
          ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
          : chunk;
        if (!socket.write(data)) return void socket.once('drain', pump);
      }
      if (chunked && !socket.destroyed) socket.write('0\r\n\r\n');
    };
    pump();
  });
}

describe("bodies over API Gateway's 10 MB", () => {
  const MB = Buffer.alloc(1024 * 1024, 'x');

  test('a declared Content-Length over 10 MB is a 413 before any of the body is sent', async () => {
    const { statusLine, written } = await streamBody(
      'POST /public HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n',
      0,
      MB,
      false,
    );
    expect({ statusLine, written }).toEqual({ statusLine: 'HTTP/1.1 413 Payload Too Large', written: 0 });
  });

  test("a chunked body is refused once it passes 10 MB, with API Gateway's body, and the next request is served", async () => {
    const refused = logged(/^\[apigw\] POST \/public 413 /);
    const { statusLine } = await streamBody(
      'POST /public HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      12,
      MB,
      true,
    );
    expect(statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(await refused).toMatch(/request body over 10 MB/);
    const whole = await fetch(`${gateway.url}/public`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(10 * 1024 * 1024 + 1),
    });
    expect({ status: whole.status, body: await whole.json() }).toEqual({
      status: 413,
      body: { message: 'Request Too Long' },
    });
    const next = await fetch(`${gateway.url}/items/1`, { headers: { 'x-api-key': KEY } });
    expect(next.status).toBe(200);
  });
});

/**
 * Names a client chooses (query parameters, headers, Content-Type, Accept, JSON keys) that are also members of
 * Object.prototype: in API Gateway they are keys of Java Maps like any other, so each reaches the function or
 * the template as sent, and a name nobody sent reads as absent (never as an inherited function).
 */
describe('names of Object.prototype members', () => {
  const PROTOTYPE_NAMES = ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'];

  /** Sends a GET with the raw headers given (fetch would refuse none of these, but a socket shows exactly what is sent). */
  function rawRequest(
    target: string,
    headers: Array<[string, string]>,
    method = 'GET',
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port, path: target, method, agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        response.on('error', reject);
      });
      for (const [name, value] of headers) request.setHeader(name, value);
      request.on('error', reject);
      request.end();
    });
  }

  /** The event the function was last called with, as the Lambda runtime receives it (JSON). */
  const lastEvent = () =>
    JSON.parse(JSON.stringify(lambda.calls[lambda.calls.length - 1].event)) as Record<string, any>;
  const entries = (map: Record<string, unknown>) => Object.entries(map).sort(([a], [b]) => a.localeCompare(b));

  test('query parameters and headers so named reach a Lambda proxy as sent, repeated ones as lists', async () => {
    const query = PROTOTYPE_NAMES.map((name, i) => `${name}=${i}`).join('&');
    const response = await rawRequest(`/items/1?${query}&constructor=again`, [
      ['x-api-key', KEY],
      ...PROTOTYPE_NAMES.map((name, i): [string, string] => [name, `h${i}`]),
    ]);
    expect(response.status).toBe(200);
    const event = lastEvent();
    expect(entries(event.queryStringParameters)).toEqual(
      entries({ constructor: 'again', toString: '1', hasOwnProperty: '2', valueOf: '4', ['__proto__']: '3' }),
    );
    expect(event.multiValueQueryStringParameters.constructor).toEqual(['0', 'again']);
    expect(Object.hasOwn(event.multiValueQueryStringParameters, '__proto__')).toBe(true);
    for (const [i, name] of PROTOTYPE_NAMES.entries()) {
      expect({ name, value: Object.hasOwn(event.headers, name) ? event.headers[name] : undefined }).toEqual({
        name,
        value: `h${i}`,
      });
      expect({
        name,
        values: Object.hasOwn(event.multiValueHeaders, name) ? event.multiValueHeaders[name] : undefined,
      }).toEqual({ name, values: [`h${i}`] });
    }
  });

  test('a header repeated in another case is one header, under the case it was first sent in', async () => {
    const answered = logged(/^\[apigw\] GET \/items\/2 /);
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(
        `GET /items/2 HTTP/1.1\r\nHost: localhost\r\nx-api-key: ${KEY}\r\nX-Thing: a\r\nx-thing: b\r\nConnection: close\r\n\r\n`,
      ),
    );
    socket.resume();
    expect(await answered).toMatch(/ 200 /);
    socket.destroy();
    const event = lastEvent();
    expect({ headers: event.headers, multiValueHeaders: event.multiValueHeaders }).toEqual({
      headers: { Host: 'localhost', 'x-api-key': KEY, 'X-Thing': 'b', Connection: 'close' },
      multiValueHeaders: { Host: ['localhost'], 'x-api-key': [KEY], 'X-Thing': ['a', 'b'], Connection: ['close'] },
    });
  });

  test('a Content-Type or Accept so named selects no mapping template: passthrough, 415 or the default, never a 500', async () => {
    for (const name of PROTOTYPE_NAMES) {
      // GET /mock passes a body with an unknown type through (WHEN_NO_MATCH) and answers its JSON template.
      const mock = await rawRequest('/mock?q=x', [
        ['x-api-key', KEY],
        ['content-type', name],
        ['accept', name],
      ]);
      expect({ name, status: mock.status, body: mock.body }).toEqual({
        name,
        status: 201,
        body: '{"ok": true, "q": "x", "path": "/mock"}',
      });
      // POST /strict has passthroughBehavior NEVER: an unknown type is API Gateway's 415.
      const strict = await rawRequest(
        '/strict',
        [
          ['x-api-key', KEY],
          ['content-type', name],
        ],
        'POST',
      );
      expect({ name, status: strict.status }).toEqual({ name, status: 415 });
    }
  });

  test('a required query parameter named constructor is missing until it is sent', () => {
    const validation = new RequestValidation();
    const method = {
      validator: { name: 'params', body: false, parameters: true },
      requiredParameters: { querystring: ['constructor'], header: [], path: ['toString'] },
      requestModels: {},
    } as unknown as ApiMethod;
    const request = (query: Record<string, string>) =>
      ({ query, headers: nameMap<string>(), body: Buffer.alloc(0) }) as unknown as ApiRequest;
    expect(validation.validate(method, request(nameMap()), nameMap())).toEqual({
      kind: 'parameters',
      message: 'Missing required request parameters: [toString, constructor]',
    });
    expect(validation.validate(method, request({}), {})).toEqual({
      kind: 'parameters',
      message: 'Missing required request parameters: [toString, constructor]',
    });
    expect(
      validation.validate(method, request(nameMap([['constructor', 'x']])), nameMap([['toString', 'y']])),
    ).toBeUndefined();
  });

  describe('in mapping templates', () => {
    const params = {
      path: nameMap<string>(),
      querystring: nameMap([['constructor', 'q']]),
      header: nameMap([['toString', 'h']]),
    };
    const render = (template: string, body = '{}') =>
      renderVelocity(
        template,
        templateVariables(body, params, templateContext({ requestId: 'r' }), nameMap([['flavour', 'vanilla']])),
      );

    test('$input.params() finds what was sent under such a name and nothing else', () => {
      expect(render("$input.params('constructor')|$input.params('toString')|[$input.params('hasOwnProperty')]")).toBe(
        'q|h|[]',
      );
      expect(
        render(
          "[$!input.params().querystring.get('toString')][$!input.params().path.constructor][$input.params().querystring.constructor]",
        ),
      ).toBe('[][][q]');
      // The name may come from the body itself.
      expect(render("[$input.params($input.path('$.name'))]", '{"name":"valueOf"}')).toBe('[]');
    });

    test("a body with such keys is the client's data: read, printed, compared and re-serialised as sent", () => {
      const body = '{"toString":"x","a":{"constructor":1,"__proto__":{"polluted":true}},"list":[{"valueOf":2}]}';
      expect(
        render(
          "$input.path('$.toString')|$input.path('$.a.constructor')|$input.path('$.a').get('__proto__').polluted",
          body,
        ),
      ).toBe('x|1|true');
      expect(
        render(
          "[$!input.path('$').get('hasOwnProperty')][$!input.path('$.a').get('toString')][$!input.path('$').constructor]",
          body,
        ),
      ).toBe('[][][]');
      expect(render("$input.path('$')", body)).toBe(
        '{toString=x, a={constructor=1, __proto__={polluted=true}}, list=[{valueOf=2}]}',
      );
      expect(
        render("#if($input.path('$.a') == 'x')same#{else}different#end|$input.path('$.list').get(0).size()", body),
      ).toBe('different|1');
      expect(JSON.parse(render("$input.json('$')", body))).toEqual(JSON.parse(body));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    test('$util.parseJson gives the same maps; $stageVariables and $context find only their own names', () => {
      expect(
        render(
          '#set($m = $util.parseJson(\'{"toString":"t","__proto__":{"p":1}}\'))$m|$m.toString|$m.get("__proto__").p|[$!m.get("valueOf")]',
        ),
      ).toBe('{toString=t, __proto__={p=1}}|t|1|[]');
      expect(
        render('$stageVariables.flavour|[$!stageVariables.get("constructor")][$!stageVariables.get("toString")]'),
      ).toBe('vanilla|[][]');
      expect(({} as Record<string, unknown>).p).toBeUndefined();
    });
  });

  test('mapping expressions and gateway response templates read no inherited member', () => {
    const sources = {
      request: { path: nameMap<string>(), querystring: nameMap<string>(), header: nameMap<string>() },
      context: { requestId: 'r' },
      stageVariables: nameMap<string>(),
    };
    for (const expression of [
      'method.request.querystring.constructor',
      'method.request.path.toString',
      'stageVariables.hasOwnProperty',
      'context.requestId.length',
      'context.toString',
      'method.request.multivalueheader.constructor',
    ]) {
      expect({ expression, value: evaluateMappingExpression(expression, sources) }).toEqual({
        expression,
        value: undefined,
      });
    }
    const api = {
      gatewayResponses: {
        DEFAULT_4XX: {
          responseParameters: {},
          responseTemplates: {
            'application/json':
              '[$context.toString][$context.error.constructor][$stageVariables.hasOwnProperty][$context.requestId]',
          },
        },
      },
    } as unknown as RestApi;
    expect(gatewayResponse(api, { type: 'BAD_REQUEST_BODY' }, sources).body).toBe('[][][][r]');
    const plain = {
      request: { path: {}, querystring: { constructor: 'c' }, header: {} },
      context: {},
      stageVariables: {},
    };
    expect(evaluateMappingExpression('method.request.querystring.constructor', plain)).toBe('c');
    expect(evaluateMappingExpression('method.request.querystring.toString', plain)).toBeUndefined();
  });

  test("a function's response headers so named are headers like any other", () => {
    const method = { api: { binaryMediaTypes: [] } } as unknown as ApiMethod;
    const request = { headers: nameMap<string>() } as unknown as ApiRequest;
    const payload = JSON.parse(
      '{"statusCode":200,"headers":{"__proto__":"a","constructor":"b"},"multiValueHeaders":{"toString":["c","d"]},"body":""}',
    );
    const result = proxyResult(payload, request, method);
    if (!('response' in result)) throw new Error(`expected a response, got ${result.reason}`);
    expect(entries(result.response.headers)).toEqual(
      entries({ ['__proto__']: ['a'], constructor: ['b'], toString: ['c', 'd'], 'Content-Type': ['application/json'] }),
    );
  });
});
