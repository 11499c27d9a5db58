/**
 * The clock across restarts: the offset POST /_local/clock set is kept next to the executions, so a server started
 * again on the same data comes back at the same time (a week ahead stays a week ahead, a timer set before is as near
 * as it was), and no timestamp goes backwards, even when the offset file is missing or unreadable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { passMachine, waitMachine } from './definitions';
import {
  historyOf,
  newDataDir,
  roleArn,
  startHarness,
  stopHarness,
  waitForEnd,
  waitForEvent,
  type Harness,
} from './harness';

jest.setTimeout(60_000);

const WEEK_S = 7 * 24 * 3600;
const DAY_S = 24 * 3600;

let dataDir: string;
const harnesses: Harness[] = [];
beforeEach(() => {
  dataDir = newDataDir();
});
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await stopHarness(harness, { keepData: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function serverOn(): Promise<Harness> {
  const harness = await startHarness({ dataDir });
  harnesses.push(harness);
  return harness;
}

/** Drops a server as a crash would (close writes nothing): the data stays for the next one. */
async function restart(harness: Harness): Promise<Harness> {
  harnesses.splice(harnesses.indexOf(harness), 1);
  await stopHarness(harness, { keepData: true });
  return serverOn();
}

async function clockOf(harness: Harness): Promise<number> {
  const response = await fetch(`${harness.server.url}/_local/clock`);
  return Date.parse(((await response.json()) as { now: string }).now);
}

async function advance(harness: Harness, seconds: number): Promise<number> {
  const response = await fetch(`${harness.server.url}/_local/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
  expect(response.status).toBe(200);
  return Date.parse(((await response.json()) as { now: string }).now);
}

async function startExecution(harness: Harness, definition: string): Promise<string> {
  const { stateMachineArn } = await harness.client.send(
    new CreateStateMachineCommand({ name: `M${harnesses.length}${Date.now() % 100000}`, definition, roleArn }),
  );
  return (await harness.client.send(new StartExecutionCommand({ stateMachineArn }))).executionArn!;
}

const timestamps = (events: Awaited<ReturnType<typeof historyOf>>) => events.map((event) => event.timestamp!.getTime());

it('keeps the offset across a restart: a week ahead is still a week ahead, and its time did not go back', async () => {
  const first = await serverOn();
  const advancedTo = await advance(first, WEEK_S);
  expect(first.server.clock.offsetMs).toBe(WEEK_S * 1000);

  const second = await restart(first);
  expect(second.server.clock.offsetMs).toBe(WEEK_S * 1000);
  expect(await clockOf(second)).toBeGreaterThanOrEqual(advancedTo);
  expect(second.warnings).toEqual([]);
});

it('fires a Wait set before the restart when its time comes, and every later event is at or after the earlier ones', async () => {
  const first = await serverOn();
  await advance(first, WEEK_S);
  const executionArn = await startExecution(first, waitMachine(2 * DAY_S));
  const before = await waitForEvent(first.client, executionArn, 'WaitStateEntered');

  const second = await restart(first);
  await advance(second, DAY_S);
  await expect(second.client.send(new DescribeExecutionCommand({ executionArn }))).resolves.toMatchObject({
    status: 'RUNNING',
  });
  await advance(second, DAY_S);
  await expect(waitForEnd(second.client, executionArn)).resolves.toMatchObject({ status: 'SUCCEEDED' });

  const times = timestamps(await historyOf(second.client, executionArn));
  expect(times.length).toBeGreaterThan(before.length);
  expect(times).toEqual([...times].sort((a, b) => a - b));
  // The Wait ended two clock days after it began, not nine (a week lost at the restart, then found again).
  const history = await historyOf(second.client, executionArn);
  const entered = history.find((event) => event.type === 'WaitStateEntered')!.timestamp!.getTime();
  const exited = history.find((event) => event.type === 'WaitStateExited')!.timestamp!.getTime();
  expect(exited - entered).toBeGreaterThanOrEqual(2 * DAY_S * 1000);
  expect(exited - entered).toBeLessThan(3 * DAY_S * 1000);
});

it('never starts behind the stored histories, even without the offset file (a state folder from before it was kept)', async () => {
  const first = await serverOn();
  await advance(first, WEEK_S);
  const executionArn = await startExecution(first, passMachine);
  await waitForEnd(first.client, executionArn);
  const lastBefore = Math.max(...timestamps(await historyOf(first.client, executionArn)));

  harnesses.splice(harnesses.indexOf(first), 1);
  await stopHarness(first, { keepData: true });
  fs.rmSync(path.join(dataDir, 'clock.json'));
  const second = await serverOn();

  expect(await clockOf(second)).toBeGreaterThanOrEqual(lastBefore);
  const later = await startExecution(second, passMachine);
  await waitForEnd(second.client, later);
  expect(Math.min(...timestamps(await historyOf(second.client, later)))).toBeGreaterThanOrEqual(lastBefore);
  // The offset it had to take is kept: the next restart starts there too.
  const offset = second.server.clock.offsetMs;
  expect(offset).toBeGreaterThan(WEEK_S * 1000 - 60_000);
  const third = await restart(second);
  expect(third.server.clock.offsetMs).toBe(offset);
});

it('reports an unreadable offset file and starts anyway, not behind its histories', async () => {
  const first = await serverOn();
  await advance(first, WEEK_S);
  const executionArn = await startExecution(first, passMachine);
  await waitForEnd(first.client, executionArn);
  const lastBefore = Math.max(...timestamps(await historyOf(first.client, executionArn)));

  harnesses.splice(harnesses.indexOf(first), 1);
  await stopHarness(first, { keepData: true });
  fs.writeFileSync(path.join(dataDir, 'clock.json'), '{"offsetMs": "a week"}\n');
  const second = await serverOn();

  expect(second.warnings).toEqual([expect.stringContaining('clock.json')]);
  expect(await clockOf(second)).toBeGreaterThanOrEqual(lastBefore);
});
