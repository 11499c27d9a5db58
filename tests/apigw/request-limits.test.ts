/**
 * What a request may hold of the API Gateway emulator's memory: a body is kept only up to API Gateway's 10 MB (over
 * it: 413, tests/apigw/hostile-requests.test.ts), nothing of it past that, and an upload that never ends is cut off
 * (408, connection closed) at the request timeout, so unfinished bodies cannot pile up (40 of them at 9 MB once took
 * the local cloud from 220 to 571 MB). Measured by what the server does with the connection and the stream, not by a
 * memory figure.
 */
import net from 'node:net';
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MAX_PAYLOAD_BYTES, PayloadTooLargeError, readBody } from '../../local/apigw/api-request';
import { startApiGateway, type ApiGatewayServer } from '../../local/apigw/server';
import { loadTemplate } from '../../local/template/load';
import { FakeLambda, FakeStepFunctions } from './fakes';

const template = loadTemplate(path.join(__dirname, 'fixtures', 'api.yaml'));
const lambda = new FakeLambda({ EchoFunction: () => ({ statusCode: 200, body: '{"ok":true}' }) });

let sfn: FakeStepFunctions;
let gateway: ApiGatewayServer;
let port: number;
let webRoot: string;

beforeAll(async () => {
  sfn = new FakeStepFunctions();
  await sfn.start();
  webRoot = mkdtempSync(path.join(tmpdir(), 'apigw-limits-'));
  gateway = await startApiGateway({
    port: 0,
    template,
    lambda,
    sfnEndpoint: sfn.url,
    apiKey: 'test-key',
    webRoot,
    region: 'eu-west-1',
    log: () => undefined,
    // Short, so the test waits a moment; `npm start` gives a client 30 s (local/request-limits.ts).
    requestTimeoutMs: 300,
  });
  port = Number(new URL(gateway.url).port);
});

afterAll(async () => {
  await gateway?.close();
  await sfn?.stop();
  rmSync(webRoot, { recursive: true, force: true });
});

/** A raw connection: what the server sent on it, and a promise that settles when the server closes it. */
function connect(): { socket: net.Socket; received: () => string; closed: Promise<void> } {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (data: Buffer) => {
    text += data.toString('latin1');
  });
  socket.on('error', () => undefined); // a reset after the server closed is part of what is tested
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => text, closed };
}

const TIMED_OUT = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';

test('40 uploads that never end, each with 1 MB of a declared 10 MB sent, are answered 408 and closed at the request timeout', async () => {
  const uploads = Array.from({ length: 40 }, () => connect());
  for (const { socket } of uploads) {
    socket.write(
      `POST /public HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${MAX_PAYLOAD_BYTES}\r\n\r\n`,
    );
    socket.write(Buffer.alloc(1024 * 1024, ' '));
  }
  await Promise.all(uploads.map(({ closed }) => closed));
  for (const { received } of uploads) expect(received()).toBe(TIMED_OUT);
  // The server still answers.
  const next = await fetch(`${gateway.url}/public`, { method: 'POST', body: '{}' });
  expect(next.status).toBe(200);
});

test('so do headers that never end', async () => {
  const { socket, received, closed } = connect();
  socket.write('POST /public HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n');
  await closed;
  expect(received()).toBe(TIMED_OUT);
});

test('readBody refuses the byte past 10 MB and keeps nothing: the rest is read and dropped, nobody listens for it', async () => {
  const stream = new PassThrough();
  const request = Object.assign(stream, { headers: {} }) as unknown as IncomingMessage;
  const refused = readBody(request).catch((error: unknown) => error);
  stream.write(Buffer.alloc(MAX_PAYLOAD_BYTES, ' '));
  stream.write(Buffer.from(' '));
  expect(await refused).toBeInstanceOf(PayloadTooLargeError);
  for (let i = 0; i < 4; i++) stream.write(Buffer.alloc(MAX_PAYLOAD_BYTES, ' '));
  expect(stream.listenerCount('data')).toBe(0);
  expect(stream.readableFlowing).toBe(true);
  stream.end();
});
