import { createConnection, createServer, type Server } from 'node:net';

/**
 * `count` distinct ports nobody listens on right now (the OS picks them), for services that cannot listen on
 * port 0 themselves. All are held open together while the OS picks, so it cannot hand out one port twice (it
 * may reuse a port once its listener is closed).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const server = createServer();
      servers.push(server);
      ports.push(
        await new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
        }),
      );
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port;
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
    if (Date.now() > deadline)
      throw new ServiceStartError(`${what} did not answer within ${Math.round(options.timeoutMs / 1000)} seconds`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
