/**
 * The local services that hold credentials listen on the loopback interface only (docs/security.md section 6): the
 * Step Functions API (histories carry task tokens, SendTaskSuccess needs no credential locally) and the SES capture
 * (its GET /store shows every exam link). Reached on this machine's loopback address they answer; reached on any
 * other address of this machine the connection is refused.
 */
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { startSesCapture } from '../../local/services/ses-capture';
import { freePort } from '../../local/services/ports';
import type { LocalService } from '../../local/services/service';
import { startHarness, stopHarness, type Harness } from '../sfn-api/harness';

jest.setTimeout(30_000);

/**
 * This machine's addresses other than loopback, IPv4 and IPv6 (an IPv6 link-local address with its interface, as
 * a connect needs it). A CI machine has at least its network card's; the test fails below when there is none.
 */
const otherAddresses = Object.entries(networkInterfaces())
  .flatMap(([name, entries]) => (entries ?? []).map((entry) => ({ name, entry })))
  .filter(({ entry }) => !entry.internal && (entry.family === 'IPv4' || entry.family === 'IPv6'))
  .map(({ name, entry }) =>
    entry.family === 'IPv6' && entry.address.toLowerCase().startsWith('fe80:')
      ? `${entry.address}%${name}`
      : entry.address,
  );

const NO_OTHER_ADDRESS =
  'This host has no non-loopback IPv4 or IPv6 address (os.networkInterfaces() lists only loopback), so the test cannot ' +
  'check that the services refuse connections on other addresses. Run it on a machine with a network interface up ' +
  '(connect a network), or, as root on Linux, add one: ' +
  'ip link add dummy0 type dummy && ip addr add 192.0.2.10/24 dev dummy0 && ip link set dummy0 up';

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
/** Listens on every address: proves that a refusal below comes from the service's binding, not the address. */
let control: Server;

beforeAll(async () => {
  sesPort = await freePort();
  control = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => control.once('error', reject).listen(0, '::', resolve));
  [sfnApi, sesCapture] = await Promise.all([startHarness(), startSesCapture({ port: sesPort })]);
});

afterAll(async () => {
  await Promise.all([stopHarness(sfnApi), sesCapture?.stop(), new Promise((resolve) => control?.close(resolve))]);
});

test('this host has an address other than loopback, so the refusal half of the tests below runs', async () => {
  if (otherAddresses.length === 0) throw new Error(NO_OTHER_ADDRESS);
  expect(otherAddresses.length).toBeGreaterThan(0);
  // Each of them is reachable on this machine when something listens on it.
  const controlPort = (control.address() as AddressInfo).port;
  for (const address of otherAddresses)
    expect([address, await connects(address, controlPort)]).toEqual([address, true]);
});

test.each([
  ['the Step Functions API', () => sfnApi.server.port],
  ['the SES capture', () => sesPort],
])('%s answers on 127.0.0.1 and refuses every other address of this machine', async (_name, port) => {
  expect(await connects('127.0.0.1', port())).toBe(true);
  if (otherAddresses.length === 0) throw new Error(NO_OTHER_ADDRESS);
  for (const address of otherAddresses) expect([address, await connects(address, port())]).toEqual([address, false]);
});
