import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApiGateway, type ApiGatewayServer } from '../../local/apigw/server';
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
  EchoFunction: (event) => ({ statusCode: 200, body: JSON.stringify({ path: event.path, pathParameters: event.pathParameters }) }),
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
    log: (line) => logWatchers.forEach((watch) => watch(line)),
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
    expect({ attempt, leaked: response.body.includes('TOP-SECRET'), failed: response.status >= 500 }).toEqual({ attempt, leaked: false, failed: false });
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
    socket.write('POST /public HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"Stud');
    socket.destroy();
  });
  await bodyAborted;

  // The 8 MiB file cannot be in the socket buffers at once: the client hangs up with the file half sent.
  const downloadAborted = logged(/^\[apigw\] GET \/admin\/big\.js /);
  const download = net.connect(port, '127.0.0.1', () => download.write('GET /admin/big.js HTTP/1.1\r\nHost: localhost\r\n\r\n'));
  download.once('data', () => download.destroy());
  await downloadAborted;

  const next = await fetch(`${gateway.url}/items/1`, { headers: { 'x-api-key': KEY } });
  expect(next.status).toBe(200);
  expect(await next.json()).toEqual({ path: '/items/1', pathParameters: { ItemId: '1' } });
});
