/**
 * The local services that hold credentials listen on the loopback interface only (docs/security.md section 6): the
 * Step Functions API (histories carry task tokens, SendTaskSuccess needs no credential locally) and the SES capture
 * (its GET /store shows every exam link). Reached on this machine's loopback address they answer; reached on any
 * other address of this machine the connection is refused.
 */
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { startSesCapture } from '../../local/services/ses-capture';
import { freePort } from '../../local/services/ports';
import type { LocalService } from '../../local/services/service';
import { startHarness, stopHarness, type Harness } from '../sfn-api/harness';

jest.setTimeout(30_000);

/** This machine's addresses other than loopback (a CI machine has at least its network card's). */
const otherAddresses = Object.values(networkInterfaces())
  .flat()
  .filter((entry) => entry && !entry.internal && entry.family === 'IPv4')
  .map((entry) => entry!.address);

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

let sfnApi: Harness;
let sesCapture: LocalService;
let sesPort: number;

beforeAll(async () => {
  sesPort = await freePort();
  [sfnApi, sesCapture] = await Promise.all([
    startHarness(),
    startSesCapture({ port: sesPort }),
  ]);
});

afterAll(async () => {
  await Promise.all([stopHarness(sfnApi), sesCapture?.stop()]);
});

test.each([
  ['the Step Functions API', () => sfnApi.server.port],
  ['the SES capture', () => sesPort],
])('%s answers on 127.0.0.1 and refuses every other address of this machine', async (_name, port) => {
  expect(await connects('127.0.0.1', port())).toBe(true);
  for (const address of otherAddresses) expect([address, await connects(address, port())]).toEqual([address, false]);
});
