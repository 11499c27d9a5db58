import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApiGateway, type ApiGatewayServer, type HealthReport } from '../../local/apigw/server';
import { loadTemplate } from '../../local/template/load';
import { FakeLambda, FakeStepFunctions } from './fakes';

const KEY = 'test-key';
const template = loadTemplate(path.join(__dirname, 'fixtures', 'api.yaml'));

let sfn: FakeStepFunctions;
let gateway: ApiGatewayServer;
let webRoot: string;
let healthReport: HealthReport = { ok: true };
const logLines: string[] = [];
const lambda = new FakeLambda({
  EchoFunction: (event) => ({
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(event),
  }),
  SlowFunction: () => new Promise(() => {}),
});

async function call(
  method: string,
  urlPath: string,
  options: { body?: unknown; headers?: Record<string, string>; key?: string | null } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== null) headers['x-api-key'] = options.key ?? KEY;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(`${gateway.url}${urlPath}`, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

beforeAll(async () => {
  sfn = new FakeStepFunctions();
  await sfn.start();
  webRoot = mkdtempSync(path.join(tmpdir(), 'apigw-web-'));
  mkdirSync(path.join(webRoot, 'admin'));
  writeFileSync(path.join(webRoot, 'admin', 'index.html'), '<!doctype html><title>admin</title>');
  writeFileSync(path.join(webRoot, 'admin', 'main.js'), 'console.log(1)');
  writeFileSync(path.join(webRoot, 'styles.css'), 'body{}');
  writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>home</title>');
  writeFileSync(path.join(tmpdir(), 'apigw-secret.txt'), 'secret');
  gateway = await startApiGateway({
    port: 0,
    template,
    lambda,
    sfnEndpoint: sfn.url,
    apiKey: KEY,
    webRoot,
    region: 'eu-west-1',
    health: async () => healthReport,
    log: (line) => logLines.push(line),
  });
});

afterAll(async () => {
  await gateway?.close();
  await sfn?.stop();
  rmSync(webRoot, { recursive: true, force: true });
});

describe('routing and API keys', () => {
  test("an unknown path and an undefined method get API Gateway's 403 Missing Authentication Token, with DEFAULT_4XX headers", async () => {
    for (const [method, url] of [
      ['GET', '/nope'],
      ['DELETE', '/items/1'],
      ['GET', '/incident'],
    ]) {
      const response = await call(method, url);
      expect(response.status).toBe(403);
      expect(response.json).toEqual({ message: 'Missing Authentication Token' });
      expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    }
  });

  test('a missing or wrong x-api-key is 403 Forbidden; the right one passes', async () => {
    expect(await call('GET', '/items/1', { key: null })).toMatchObject({ status: 403, json: { message: 'Forbidden' } });
    expect(await call('GET', '/items/1', { key: 'wrong' })).toMatchObject({
      status: 403,
      json: { message: 'Forbidden' },
    });
    expect((await call('GET', '/items/1')).status).toBe(200);
  });

  test('a literal resource wins over {param}, {proxy+} takes the rest, ANY takes every verb', async () => {
    const special = await call('GET', '/items/special');
    expect(special.json.resource).toBe('/items/special');
    expect(special.json.pathParameters).toBeNull();
    const item = await call('GET', '/items/a%20b');
    expect(item.json).toMatchObject({ resource: '/items/{ItemId}', pathParameters: { ItemId: 'a b' } });
    const proxied = await call('PATCH', '/files/x/y/z.txt', { body: 'raw', headers: { 'Content-Type': 'text/plain' } });
    expect(proxied.json).toMatchObject({
      resource: '/files/{proxy+}',
      httpMethod: 'PATCH',
      pathParameters: { proxy: 'x/y/z.txt' },
      body: 'raw',
    });
  });
});

describe('Lambda proxy integration', () => {
  test("the event has API Gateway's REST (1.0) shape", async () => {
    const { json: event } = await call('GET', '/items/42?a=1&a=2&b=x', { headers: { 'X-Custom': 'v' } });
    expect(event).toMatchObject({
      resource: '/items/{ItemId}',
      path: '/items/42',
      httpMethod: 'GET',
      queryStringParameters: { a: '2', b: 'x' },
      multiValueQueryStringParameters: { a: ['1', '2'], b: ['x'] },
      pathParameters: { ItemId: '42' },
      stageVariables: { flavour: 'vanilla' },
      body: null,
      isBase64Encoded: false,
    });
    expect(event.headers['X-Custom'] ?? event.headers['x-custom']).toBe('v');
    expect(event.multiValueHeaders['x-api-key'] ?? event.multiValueHeaders['X-Api-Key']).toEqual([KEY]);
    expect(event.requestContext).toMatchObject({
      resourcePath: '/items/{ItemId}',
      httpMethod: 'GET',
      path: '/dev/items/42',
      stage: 'dev',
      accountId: '123456789012',
      protocol: 'HTTP/1.1',
      identity: { sourceIp: '127.0.0.1', apiKey: KEY },
    });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.requestContext.requestTime).toMatch(/^\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(typeof event.requestContext.requestTimeEpoch).toBe('number');
    expect(event.requestContext.apiId).toMatch(/^[a-z0-9]{10}$/);
    expect(lambda.calls.at(-1)!.functionName).toBe('arn:aws:lambda:eu-west-1:123456789012:function:EchoFunction');
  });

  test('statusCode, headers and multiValueHeaders of the result make the response', async () => {
    const saved = (lambda as any).handlers.EchoFunction;
    (lambda as any).handlers.EchoFunction = () => ({
      statusCode: 201,
      headers: { 'X-One': 'a', 'X-Both': 'same' },
      multiValueHeaders: { 'X-Both': ['same', 'other'] },
      body: 'created',
    });
    try {
      const response = await call('GET', '/items/1');
      expect(response.status).toBe(201);
      expect(response.text).toBe('created');
      expect(response.headers.get('x-one')).toBe('a');
      expect(response.headers.get('x-both')).toBe('same, other');
      expect(response.headers.get('content-type')).toBe('application/json');
    } finally {
      (lambda as any).handlers.EchoFunction = saved;
    }
  });

  test.each([
    ['a body that is an object', { statusCode: 200, body: { not: 'a string' } }],
    ['an unknown key', { statusCode: 200, body: 'x', cookies: ['a=b'] }],
    ['no statusCode', { body: 'x' }],
    ['a result that is no object', 'just text'],
  ])('%s is a malformed proxy response: 502 Internal server error', async (_case, result) => {
    const saved = (lambda as any).handlers.EchoFunction;
    (lambda as any).handlers.EchoFunction = () => result;
    try {
      const response = await call('GET', '/items/1');
      expect(response.status).toBe(502);
      expect(response.json).toEqual({ message: 'Internal server error' });
      expect(logLines.at(-1)).toMatch(/GET \/items\/1 502 \d+ms \(Malformed Lambda proxy response/);
    } finally {
      (lambda as any).handlers.EchoFunction = saved;
    }
  });

  test('a function error is a 502', async () => {
    const saved = (lambda as any).handlers.EchoFunction;
    (lambda as any).handlers.EchoFunction = () => {
      throw new TypeError('boom');
    };
    try {
      expect(await call('GET', '/items/1')).toMatchObject({ status: 502, json: { message: 'Internal server error' } });
    } finally {
      (lambda as any).handlers.EchoFunction = saved;
    }
  });

  test('an integration that outlives timeoutInMillis is a 504', async () => {
    const response = await call('GET', '/slow');
    expect(response.status).toBe(504);
    expect(response.json).toEqual({ message: 'Endpoint request timed out' });
  });
});

describe('Step Functions service integrations', () => {
  test('POST /incident maps the body with the template and starts the execution', async () => {
    sfn.reply(200, {
      executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:PlagiarismStateMachine:x',
      startDate: 1700000000.5,
    });
    const response = await call('POST', '/incident', { body: { StudentId: 's1', StudentEmail: "o'neil@example.com" } });
    expect(response.status).toBe(200);
    const call0 = sfn.calls.at(-1)!;
    expect(call0.target).toBe('AWSStepFunctions.StartExecution');
    expect(call0.contentType).toBe('application/x-amz-json-1.0');
    expect(call0.body.stateMachineArn).toBe(
      'arn:aws:states:eu-west-1:123456789012:stateMachine:PlagiarismStateMachine',
    );
    expect(call0.body.name).toMatch(/^[0-9a-f-]{36}$/);
    // The template #set a field of $input.path('$'), which $input.json('$') then prints (API Gateway's live body).
    expect(JSON.parse(call0.body.input)).toEqual({
      StudentId: 's1',
      StudentEmail: "o'neil@example.com",
      IncidentId: call0.body.name,
    });
    expect(response.json).toEqual({
      IncidentId: call0.body.name,
      executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:PlagiarismStateMachine:x',
      startDate: 1700000000.5,
    });
  });

  test('a 4xx from Step Functions selects the 4\\d{2} response with its template and header mapping', async () => {
    sfn.reply(400, { __type: 'ExecutionAlreadyExists', message: 'Execution Already Exists: x' });
    const response = await call('POST', '/incident', { body: { StudentId: 's1', StudentEmail: 'a@example.com' } });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: 'ExecutionAlreadyExists', message: 'Execution Already Exists: x' });
    expect(response.headers.get('x-sfn-error')).toBe('ExecutionAlreadyExists');
  });

  test('StartSyncExecution: a success answers the output, a failure is mapped with parseJson and responseOverride', async () => {
    sfn.reply(200, { status: 'SUCCEEDED', output: '{"Status":"CONFIRMED"}' });
    const ok = await call('POST', '/reservations', { body: { TransactionType: 'Reserve' } });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ Status: 'CONFIRMED' });
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect(sfn.calls.at(-1)).toMatchObject({
      target: 'AWSStepFunctions.StartSyncExecution',
      body: {
        stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:CallCentreStateMachine',
        input: '{"TransactionType":"Reserve"}',
      },
    });

    const cause = JSON.stringify({ errorType: 'RoomUnavailable', errorMessage: 'No "SUITE" room is free', trace: [] });
    sfn.reply(200, { status: 'FAILED', error: 'RoomUnavailable', cause });
    const failed = await call('POST', '/reservations', { body: { TransactionType: 'Reserve' } });
    expect(failed.status).toBe(409);
    expect(failed.headers.get('x-error')).toBe('RoomUnavailable');
    expect(failed.json).toEqual({ error: 'RoomUnavailable', message: 'No "SUITE" room is free' });
  });

  test('a Step Functions endpoint that is down is an integration failure, not a crash', async () => {
    const down = await startApiGateway({
      port: 0,
      template,
      lambda,
      sfnEndpoint: 'http://127.0.0.1:1',
      apiKey: KEY,
      webRoot,
      region: 'eu-west-1',
      log: () => {},
    });
    try {
      const response = await fetch(`${down.url}/reservations`, {
        method: 'POST',
        headers: { 'x-api-key': KEY },
        body: '{}',
      });
      expect(response.status).toBe(504);
      expect(await response.json()).toEqual({ message: 'Internal server error' });
    } finally {
      await down.close();
    }
  });
});

describe('mock integrations, passthrough and CORS', () => {
  test('the request template picks the status; the response has its parameters and the template for Accept', async () => {
    const response = await call('GET', '/mock?q=hello');
    expect(response.status).toBe(201);
    expect(response.json).toEqual({ ok: true, q: 'hello', path: '/mock' });
    expect(response.headers.get('x-stage')).toBe('dev');
    expect(response.headers.get('x-flavour')).toBe('vanilla');
    expect(response.headers.get('x-query')).toBe('hello');
    const plain = await call('GET', '/mock', { headers: { Accept: 'text/plain' } });
    expect(plain.text).toBe('ok');
    expect(plain.headers.get('content-type')).toBe('text/plain');
    expect(await call('GET', '/mock?fail=yes')).toMatchObject({ status: 503, json: { message: 'mock failed' } });
  });

  test('passthroughBehavior NEVER refuses a content type without a template with 415', async () => {
    const response = await call('POST', '/strict', { body: 'x', headers: { 'Content-Type': 'text/plain' } });
    expect(response).toMatchObject({ status: 415, json: { message: 'Unsupported Media Type' } });
    expect((await call('POST', '/strict', { body: {} })).status).toBe(200);
  });

  test('no integration response matching and no default is a 500', async () => {
    expect(await call('POST', '/nomatch', { body: {} })).toMatchObject({
      status: 500,
      json: { message: 'Internal server error' },
    });
  });

  test('SAM Cors adds a mock OPTIONS preflight to every path (without the API key here)', async () => {
    const response = await call('OPTIONS', '/items/1', {
      key: null,
      headers: { Origin: 'http://example.com', 'Access-Control-Request-Method': 'GET' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toBe('Content-Type,x-api-key');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,OPTIONS');
    const files = await call('OPTIONS', '/files/a', { key: null });
    expect(files.headers.get('access-control-allow-methods')).toBe('DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT');
  });
});

describe('request validation', () => {
  test("a body breaking the model is 400 with the API's BAD_REQUEST_BODY template", async () => {
    const response = await call('POST', '/incident', { body: { StudentId: '', Score: -1 } });
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('ValidationError');
    expect(response.json.message).toBe(
      '[object has missing required properties (["StudentEmail"]), string "" is too short (length: 0, required minimum: 1), numeric instance is lower than the required minimum (minimum: 0, found: -1)]',
    );
    expect(response.json.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  test('a SAM RequestModel validates too, and a body that is no JSON is invalid', async () => {
    const response = await call('POST', '/public', { key: null, body: '{not json' });
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('ValidationError');
    const good = await call('POST', '/public', { key: null, body: { StudentId: 'x', StudentEmail: 'a@example.com' } });
    expect(good.status).toBe(200);
  });

  test('missing required parameters are 400 naming them', async () => {
    const response = await call('GET', '/params');
    expect(response).toMatchObject({
      status: 400,
      json: { message: 'Missing required request parameters: [q, X-Trace]' },
    });
    expect((await call('GET', '/params?q=1', { headers: { 'x-trace': 't' } })).status).toBe(200);
  });
});

describe('web pages, config.js and health', () => {
  test('pages and assets are served with their content types; directories give index.html', async () => {
    const page = await call('GET', '/admin/', { key: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('admin');
    const script = await call('GET', '/admin/main.js', { key: null });
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await call('GET', '/admin', { key: null })).headers.get('location')).toBe('/admin/');
    expect((await call('GET', '/styles.css', { key: null })).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await call('GET', '/', { key: null })).text).toContain('home');
    expect((await call('GET', '/admin/missing.js', { key: null })).status).toBe(404);
  });

  test('no path leaves the web root', async () => {
    for (const attempt of [
      '/admin/../../apigw-secret.txt',
      '/admin/%2e%2e/%2e%2e/apigw-secret.txt',
      '/admin/..%2f..%2fapigw-secret.txt',
    ]) {
      const response = await call('GET', attempt, { key: null });
      expect(response.text).not.toContain('secret');
    }
  });

  test('/config.js tells the pages the API is this origin', async () => {
    const response = await call('GET', '/config.js', { key: null });
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    const port = new URL(gateway.url).port;
    const config = JSON.parse(response.text.replace(/^window\.APP_CONFIG = /, '').replace(/;\s*$/, ''));
    expect(config).toMatchObject({ apiBaseUrl: `http://localhost:${port}`, local: true });
  });

  test('/_local/health is 200 only when every part is up', async () => {
    healthReport = { ok: true };
    expect(await call('GET', '/_local/health', { key: null })).toMatchObject({ status: 200, json: { status: 'ok' } });
    healthReport = { ok: false, down: ['dynamodb'] };
    expect(await call('GET', '/_local/health', { key: null })).toMatchObject({
      status: 503,
      json: { status: 'unavailable', down: ['dynamodb'] },
    });
    healthReport = { ok: true };
  });

  test('every request is logged on one line: method, path, status, time', () => {
    expect(logLines.some((line) => /^\[apigw\] GET \/_local\/health 200 \d+ms$/.test(line))).toBe(true);
  });
});
