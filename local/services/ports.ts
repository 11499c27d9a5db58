import { createConnection, createServer } from 'node:net';

/** A port nobody listens on right now (the OS picks it), for services that cannot listen on port 0 themselves. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on localhost:port. */
export async function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Names the service that did not come up, and why. */
export class ServiceStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceStartError';
  }
}

/**
 * Polls `check` until it returns true. Stops early with the reason `failure()` gives (e.g. the process exited),
 * and after `timeoutMs` with a ServiceStartError naming `what`.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; failure?: () => string | undefined },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const failure = options.failure?.();
    if (failure) throw new ServiceStartError(`${what} did not start: ${failure}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new ServiceStartError(`${what} did not answer within ${Math.round(options.timeoutMs / 1000)} seconds`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
