/** POST /_local/clock moves the engine's time: Waits, task timeouts and heartbeats fire as if it had passed. */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { callbackMachine, waitMachine } from './definitions';
import {
  historyOf,
  parsed,
  roleArn,
  startHarness,
  stopHarness,
  waitForEnd,
  waitForEvent,
  type Harness,
} from './harness';

let harness: Harness;
let tokens: string[];
beforeEach(async () => {
  harness = await startHarness();
  tokens = [];
  harness.lambda.define('Notify', (event) => void tokens.push((event as { token: string }).token));
});
afterEach(() => stopHarness(harness));

async function advance(seconds: number): Promise<string> {
  const response = await fetch(`${harness.server.url}/_local/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { now: string }).now;
}

async function start(definition: string): Promise<string> {
  const { stateMachineArn } = await harness.client.send(
    new CreateStateMachineCommand({ name: `M${Math.random().toString(36).slice(2, 8)}`, definition, roleArn }),
  );
  return (await harness.client.send(new StartExecutionCommand({ stateMachineArn }))).executionArn!;
}

const status = async (executionArn: string) =>
  (await harness.client.send(new DescribeExecutionCommand({ executionArn }))).status;

it('answers the clock time as ISO text, moved by advanceSeconds', async () => {
  const before = Date.now();
  const now = await advance(7200);
  expect(new Date(now).getTime() - before).toBeGreaterThanOrEqual(7200_000);
  expect(new Date(now).getTime() - before).toBeLessThan(7200_000 + 60_000);
  const read = (await (await fetch(`${harness.server.url}/_local/clock`)).json()) as { now: string };
  expect(new Date(read.now).getTime()).toBeGreaterThanOrEqual(new Date(now).getTime());
  expect(harness.server.clock.now() - Date.now()).toBeGreaterThanOrEqual(7200_000 - 1000);
});

it('fires a Wait state when the clock passes its end', async () => {
  const executionArn = await start(waitMachine(3600));
  await waitForEvent(harness.client, executionArn, 'WaitStateEntered');
  await advance(1800);
  expect(await status(executionArn)).toBe('RUNNING');
  await advance(1800);
  const described = await waitForEnd(harness.client, executionArn);
  expect(described.status).toBe('SUCCEEDED');
  expect(parsed(described.output)).toBe('waited');
  const events = await historyOf(harness.client, executionArn);
  const entered = events.find((event) => event.type === 'WaitStateEntered')!;
  const exited = events.find((event) => event.type === 'WaitStateExited')!;
  expect(exited.timestamp!.getTime() - entered.timestamp!.getTime()).toBeGreaterThanOrEqual(3600_000);
});

it('times a waiting task out after TimeoutSeconds: TaskTimedOut with States.Timeout, and its token is closed', async () => {
  const executionArn = await start(callbackMachine({ timeoutSeconds: 60 }));
  await waitForEvent(harness.client, executionArn, 'TaskSubmitted');
  await advance(59);
  expect(await status(executionArn)).toBe('RUNNING');
  await advance(2);
  await expect(waitForEnd(harness.client, executionArn)).resolves.toMatchObject({
    status: 'FAILED',
    error: 'States.Timeout',
  });
  const timedOut = (await historyOf(harness.client, executionArn)).find((event) => event.type === 'TaskTimedOut')!;
  expect(timedOut.taskTimedOutEventDetails).toEqual({
    resourceType: 'lambda',
    resource: 'invoke.waitForTaskToken',
    error: 'States.Timeout',
  });
  await expect(
    harness.client.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{}' })),
  ).rejects.toMatchObject({
    name: 'TaskTimedOut',
  });
});

it('times a task out when heartbeats stop, and each heartbeat restarts the interval', async () => {
  const executionArn = await start(callbackMachine({ timeoutSeconds: 600, heartbeatSeconds: 10 }));
  await waitForEvent(harness.client, executionArn, 'TaskSubmitted');
  await advance(8);
  await harness.client.send(new SendTaskHeartbeatCommand({ taskToken: tokens[0] }));
  await advance(8);
  expect(await status(executionArn)).toBe('RUNNING');
  await advance(3);
  await expect(waitForEnd(harness.client, executionArn)).resolves.toMatchObject({
    status: 'FAILED',
    error: 'States.Timeout',
  });
});
