import { createServer, type Server } from 'node:net';
import type { LocalCloudPorts } from '../../../local/cloud';

/**
 * Four distinct ports nobody listens on right now. All four are held open together while the OS picks them, so
 * it cannot hand out the same port twice (it may reuse a port once its listener is closed).
 */
export async function freeCloudPorts(): Promise<LocalCloudPorts> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const server = createServer();
      servers.push(server);
      ports.push(
        await new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
        }),
      );
    }
    const [api, sfn, dynamodb, ses] = ports;
    return { api, sfn, dynamodb, ses };
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}
