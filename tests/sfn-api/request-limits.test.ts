/**
 * What a request may hold of the Step Functions API's memory: a body of at most 1 MiB (AWS's "Maximum request size"
 * quota), refused with 413 beyond it without being kept, and an upload that never ends is cut off (408, connection
 * closed) after the request timeout, so unfinished bodies cannot pile up. Measured by what the server does with the
 * connection and the stream, not by a memory figure.
 */
import net from 'node:net';
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { MAX_REQUEST_BYTES, readBody } from '../../local/sfn-api/http/aws-json';
import { startHarness, stopHarness, type Harness } from './harness';

let harness: Harness;
let port: number;
/** A server with the default request timeout (30 s); `useServer` switches to one with a short one. */
beforeAll(() => useServer({}));
afterAll(() => stopHarness(harness));

async function useServer(options: { requestTimeoutMs?: number }): Promise<void> {
  await stopHarness(harness);
  harness = await startHarness(options);
  port = Number(new URL(harness.server.url).port);
}

const apiHead = (length: number | 'chunked') =>
  'POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\n' +
  'Content-Type: application/x-amz-json-1.0\r\n' +
  (length === 'chunked' ? 'Transfer-Encoding: chunked\r\n\r\n' : `Content-Length: ${length}\r\n\r\n`);

/** The API's answer to a body, sent whole with fetch. */
async function listWithBody(body: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(harness.server.url, {
    method: 'POST',
    headers: { 'x-amz-target': 'AWSStepFunctions.ListStateMachines', 'content-type': 'application/x-amz-json-1.0' },
    body,
  });
  return { status: response.status, json: await response.json() };
}

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

describe('a body over 1 MiB', () => {
  test('one of exactly 1 MiB is read (whitespace around its JSON), one byte more is 413 ValidationException', async () => {
    const padded = (size: number) => `{}${' '.repeat(size - 2)}`;
    expect(await listWithBody(padded(MAX_REQUEST_BYTES))).toEqual({ status: 200, json: { stateMachines: [] } });
    expect(await listWithBody(padded(MAX_REQUEST_BYTES + 1))).toEqual({
      status: 413,
      json: {
        __type: 'ValidationException',
        message: 'The request body is larger than 1048576 bytes, the most a Step Functions request may carry',
      },
    });
  });

  test('a declared Content-Length over it is refused before a byte of the body is sent', async () => {
    const { socket, received } = connect();
    const answered = new Promise<string>((resolve) =>
      socket.on('data', () => received().includes('\r\n\r\n') && resolve(received().split('\r\n')[0])),
    );
    socket.write(apiHead(1024 * 1024 * 1024));
    expect(await answered).toBe('HTTP/1.1 413 Payload Too Large');
    socket.destroy();
  });

  test('a chunked body is answered 413 as soon as it passes the limit, while its client still sends', async () => {
    const { socket, received } = connect();
    socket.write(apiHead('chunked'));
    const chunk = Buffer.alloc(64 * 1024, ' ');
    let sent = 0;
    // Keeps sending until the answer arrives: the server answers without waiting for the end of the body.
    await new Promise<void>((resolve) => {
      const pump = () => {
        while (!received().includes('\r\n\r\n')) {
          sent += chunk.length;
          const written = socket.write(
            Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]),
          );
          if (!written) return void socket.once('drain', pump);
        }
        resolve();
      };
      socket.on('data', () => received().includes('\r\n\r\n') && resolve());
      pump();
    });
    expect(received().split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
    expect(sent).toBeGreaterThan(MAX_REQUEST_BYTES);
    socket.destroy();
    // The server is not stuck on it.
    expect((await listWithBody('{}')).status).toBe(200);
  });

  test('readBody refuses the byte past the limit and keeps nothing: the rest is read and dropped, nobody listens for it', async () => {
    const stream = new PassThrough();
    const request = Object.assign(stream, { headers: {} }) as unknown as IncomingMessage;
    const reading = readBody(request);
    const refused = reading.catch((error: unknown) => error);
    stream.write(Buffer.alloc(MAX_REQUEST_BYTES, ' '));
    stream.write(Buffer.from(' '));
    expect(await refused).toMatchObject({ code: 'ValidationException', statusCode: 413 });
    // Refused before the body ended; what follows flows through unread and unkept.
    for (let i = 0; i < 8; i++) stream.write(Buffer.alloc(MAX_REQUEST_BYTES, ' '));
    expect(stream.listenerCount('data')).toBe(0);
    expect(stream.readableFlowing).toBe(true);
    stream.end();
  });
});

describe('uploads that never end', () => {
  // Short, so the test waits a moment; `npm start` gives a client 30 s (local/request-limits.ts).
  beforeAll(() => useServer({ requestTimeoutMs: 300 }));

  test('40 of them, each with half of a declared 1 MiB sent, are answered 408 and closed at the request timeout', async () => {
    const uploads = Array.from({ length: 40 }, () => connect());
    for (const { socket } of uploads) {
      socket.write(apiHead(MAX_REQUEST_BYTES));
      socket.write(Buffer.alloc(MAX_REQUEST_BYTES / 2, ' '));
    }
    await Promise.all(uploads.map(({ closed }) => closed));
    for (const { received } of uploads)
      expect(received()).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    expect((await listWithBody('{}')).status).toBe(200);
  });

  test('so do headers that never end', async () => {
    const { socket, received, closed } = connect();
    socket.write('POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\n');
    await closed;
    expect(received()).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
  });
});
