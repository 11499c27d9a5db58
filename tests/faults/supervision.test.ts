/**
 * A service that dies comes back by itself: the local cloud watches DynamoDB Local and the SES capture, and when one
 * of their processes is killed (`kill -9`, found by its pid file as npm start records it under <state>/pids) it
 * prints one line naming the service, starts it again on the same port and data, and `GET /_local/health` answers
 * 200 again; a reservation is then booked and its confirmation emailed. A deliberate stop (LocalCloud.services, the
 * outage rehearsal of tests/faults/faults.test.ts) is left stopped.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalCloud, type LocalCloud } from '../../local/cloud';
import { isAlive, PidFiles } from '../../local/pids';
import { eventually } from '../support/eventually';
import { functionBundles } from '../support/function-bundles';
import { ApiClient } from '../system/support/http';
import { waitForEmails } from '../system/support/outbox';
import { freeCloudPorts } from '../system/support/ports';
import { reserveBody } from '../system/support/reservations';

/** A JVM start on a shared 2-core machine, then a Reserve. */
jest.setTimeout(120_000);

let dir: string;
let cloud: LocalCloud;
let api: ApiClient;
/** Everything the local cloud printed (npm start prints these lines on the console). */
const lines: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'supervision-'));
  cloud = await startLocalCloud({
    ports: await freeCloudPorts(),
    persist: true,
    stateDir: path.join(dir, 'state'),
    ...functionBundles(),
    webRoot: path.join(dir, 'web'),
    progress: (line) => lines.push(line),
  });
  api = new ApiClient(cloud.urls.api);
}, 180_000);

afterAll(async () => {
  await cloud?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The pid npm start recorded for one of its processes (`dynamodb` the keeper, `dynamodb-1` its JVM, `ses`). */
function recordedPid(name: string): number {
  const record = new PidFiles(path.join(dir, 'state', 'pids')).list().find((entry) => entry.name === name);
  if (!record) throw new Error(`no pid file for ${name}`);
  return record.pid;
}

async function healthStatus(): Promise<number> {
  try {
    return (await fetch(`${cloud.urls.api}/_local/health`, { signal: AbortSignal.timeout(5000) })).status;
  } catch {
    return 0;
  }
}

let night = 0;

test.each([
  ['DynamoDB Local (its JVM)', 'dynamodb-1', 'DynamoDB Local'],
  ['DynamoDB Local (its keeper process: the JVM is left without it)', 'dynamodb', 'DynamoDB Local'],
  ['the SES capture', 'ses', 'SES capture'],
])(
  'kill -9 of %s: one line says so, it is restarted, health is 200 and a Reserve is booked and emailed',
  async (_case, pidName, service) => {
    const pid = recordedPid(pidName);
    const printed = lines.length;
    process.kill(pid, 'SIGKILL');

    const notice = await eventually(`a line saying that ${service} stopped`, async () =>
      lines.slice(printed).find((line) => line.startsWith(`${service} stopped unexpectedly`)),
    );
    expect(notice).toMatch(/restarting it/);
    await eventually(
      () => `GET /_local/health to answer 200 again; printed since the kill:\n${lines.slice(printed).join('\n')}`,
      async () => ((await healthStatus()) === 200 ? true : undefined),
      { timeoutMs: 90_000, intervalMs: 100 },
    );
    await eventually(`a line saying that ${service} is back`, async () =>
      lines.slice(printed).find((line) => line.startsWith(`${service} is back on port `)),
    );
    // New processes, recorded in the pid files; nothing of the old one is left (the keeper's JVM included).
    expect(recordedPid(pidName)).not.toBe(pid);
    expect(isAlive(pid)).toBe(false);

    night += 1;
    const body = reserveBody('STANDARD', 300 + night);
    const answer = await api.post('/reservations', body);
    expect([answer.status, answer.body.Status]).toEqual([200, 'CONFIRMED']);
    await waitForEmails(cloud.urls.ses, body.GuestEmail, 1);
  },
);

test('a deliberate stop is an outage the caller asked for: nothing restarts it until the caller starts it again', async () => {
  const printed = lines.length;
  await cloud.services.dynamodb.stop();
  expect(cloud.services.dynamodb.running).toBe(false);
  expect(await healthStatus()).toBe(503);
  const refused = await api.post('/reservations', reserveBody('STANDARD', 310));
  expect(refused.status).toBe(503);
  expect(cloud.services.dynamodb.running).toBe(false);
  expect(lines.slice(printed).filter((line) => /unexpectedly|is back/.test(line))).toEqual([]);

  await cloud.services.dynamodb.start();
  await eventually('health 200 after the start', async () => ((await healthStatus()) === 200 ? true : undefined), {
    timeoutMs: 30_000,
  });
  expect(lines.slice(printed).filter((line) => /unexpectedly|is back/.test(line))).toEqual([]);
});
