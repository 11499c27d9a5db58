/**
 * Issue 13: one execution must not take the local cloud down. A Choice looping back to a Pass, started through the
 * API, used to hold the server's event loop (a STANDARD run wrote gigabytes of history and the server stopped
 * answering; an EXPRESS one ran out of memory). AWS ends the first at 25,000 history events and the second at
 * 5 minutes, and keeps answering: so must this server.
 */
import fs from 'node:fs';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListStateMachinesCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { ExecutionStore } from '../../local/sfn-api/store/execution-store';
import { waitMachine } from './definitions';
import { eventually, historyOf, roleArn, startHarness, stopHarness, waitForEnd, type Harness } from './harness';

jest.setTimeout(60_000);

/** The report's definition: a Choice that sends a Pass round for ever (4 history events a round). */
const loopMachine = JSON.stringify({
  StartAt: 'Spin',
  States: {
    Spin: { Type: 'Pass', Result: { spin: true }, Next: 'Again' },
    Again: { Type: 'Choice', Choices: [{ Variable: '$.spin', BooleanEquals: true, Next: 'Spin' }], Default: 'Done' },
    Done: { Type: 'Succeed' },
  },
});

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(() => stopHarness(harness));

async function create(name: string, definition: string, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): Promise<string> {
  const { stateMachineArn } = await harness.client.send(
    new CreateStateMachineCommand({ name, definition, roleArn, type }),
  );
  return stateMachineArn!;
}

async function start(stateMachineArn: string): Promise<string> {
  return (await harness.client.send(new StartExecutionCommand({ stateMachineArn }))).executionArn!;
}

/** What the local cloud's health check asks this API (local/cloud/provision.ts: the state machines it answers for). */
async function health(): Promise<string[]> {
  const { stateMachines } = await harness.client.send(new ListStateMachinesCommand({}));
  return (stateMachines ?? []).map((machine) => machine.name!);
}

/** A waiting execution of another state machine, for StopExecution to end while the loop runs. */
async function waitingExecution(): Promise<string> {
  return start(await create('Waiter', waitMachine(3600)));
}

/** Any execution's status and history, EXPRESS included (the dashboard's endpoint). */
async function local(executionArn: string) {
  const response = await fetch(`${harness.server.url}/_local/executions/${encodeURIComponent(executionArn)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as {
    execution: { status: string; startDate: number; stopDate?: number };
    events: { id: number; previousEventId: number; type: string; executionTimedOutEventDetails?: unknown }[];
  };
}

async function advance(seconds: number): Promise<void> {
  const response = await fetch(`${harness.server.url}/_local/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
  expect(response.status).toBe(200);
}

it('a STANDARD loop fails at 25,000 history events with States.Runtime, as AWS does, and the server answers meanwhile', async () => {
  const waiting = await waitingExecution();
  const loop = await start(await create('Loop', loopMachine));

  // Sent at once, while the loop runs: the health check and a StopExecution of the other execution are answered.
  const [names, stopped] = await Promise.all([
    health(),
    harness.client.send(new StopExecutionCommand({ executionArn: waiting, error: 'Cancelled', cause: 'by a test' })),
  ]);
  expect(names.sort()).toEqual(['Loop', 'Waiter']);
  expect(stopped.stopDate).toBeInstanceOf(Date);
  await expect(harness.client.send(new DescribeExecutionCommand({ executionArn: waiting }))).resolves.toMatchObject({
    status: 'ABORTED',
    error: 'Cancelled',
  });

  await expect(waitForEnd(harness.client, loop)).resolves.toMatchObject({
    status: 'FAILED',
    error: 'States.Runtime',
    cause: 'The execution reached the maximum number of history events (25000).',
  });
  // The history AWS records: event #25,000 is the failure, after 24,999 of the loop's own.
  const { events } = await harness.client.send(
    new GetExecutionHistoryCommand({ executionArn: loop, reverseOrder: true, maxResults: 2 }),
  );
  expect(events).toMatchObject([
    {
      id: 25_000,
      previousEventId: 24_999,
      type: 'ExecutionFailed',
      executionFailedEventDetails: {
        error: 'States.Runtime',
        cause: 'The execution reached the maximum number of history events (25000).',
      },
    },
    { id: 24_999, type: expect.stringMatching(/^(Pass|Choice)State(Entered|Exited)$/) },
  ]);
  expect(await health()).toEqual(expect.arrayContaining(['Loop', 'Waiter']));
});

it('an EXPRESS loop runs until its 5 minutes are up on the clock, then times out (States.Timeout); the server answers all along', async () => {
  const waiting = await waitingExecution();
  const loop = await start(await create('ExpressLoop', loopMachine, 'EXPRESS'));

  // It cannot end before the clock moves 5 minutes on: everything below is answered while it runs.
  expect((await health()).sort()).toEqual(['ExpressLoop', 'Waiter']);
  await harness.client.send(new StopExecutionCommand({ executionArn: waiting }));
  await expect(harness.client.send(new DescribeExecutionCommand({ executionArn: waiting }))).resolves.toMatchObject({
    status: 'ABORTED',
  });
  // It runs past the STANDARD quota (EXPRESS histories are unlimited in AWS); the server keeps its first 24,999 events.
  const running = await eventually(
    'the EXPRESS loop to have run 25,000 events',
    () => local(loop),
    (detail) => detail.events.length >= 24_999,
  );
  expect(running.execution.status).toBe('RUNNING');

  await advance(240);
  expect((await local(loop)).execution.status).toBe('RUNNING');
  await advance(60);
  const ended = await eventually(
    'the EXPRESS loop to time out',
    () => local(loop),
    (detail) => detail.execution.status !== 'RUNNING',
  );
  expect(ended.execution.status).toBe('TIMED_OUT');
  expect(ended.execution.stopDate! - ended.execution.startDate).toBeGreaterThanOrEqual(300);
  // What is kept: 24,999 events and the one that ended it, whose id counts every event it ran.
  expect(ended.events).toHaveLength(25_000);
  const last = ended.events[24_999];
  expect(last).toMatchObject({ type: 'ExecutionTimedOut', executionTimedOutEventDetails: { error: 'States.Timeout' } });
  expect(last.id).toBeGreaterThan(25_000);
  expect(last.previousEventId).toBe(last.id - 1);
});

it('a loop with a large payload is ended FAILED before its history file outgrows what a start reads back, and the next start reads it', async () => {
  await stopHarness(harness);
  // A small limit for the test (the default is 512 MiB): 2 MiB, so the execution ends at 7/8 of it, 1.75 MiB.
  const limit = 2 * 1024 * 1024;
  harness = await startHarness({ maxHistoryFileBytes: limit });
  const big = JSON.parse(loopMachine);
  big.States.Spin.Result = { spin: true, payload: 'x'.repeat(20_000) };
  const loop = await start(await create('BigLoop', JSON.stringify(big)));
  const ended = await waitForEnd(harness.client, loop);
  const cause =
    "The execution's history reached 7/8 of the 2 MiB the local Step Functions API reads back at start (a local limit: AWS has none but its 25,000 events).";
  expect(ended).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause });
  const file = new ExecutionStore(harness.dataDir).fileOf(loop);
  const size = fs.statSync(file).size;
  expect(size).toBeGreaterThanOrEqual((limit / 8) * 7);
  expect(size).toBeLessThan(limit);

  // The next start reads the whole history back: nothing to report, the execution as it ended.
  const { dataDir } = harness;
  const before = await historyOf(harness.client, loop);
  await stopHarness(harness, { keepData: true });
  harness = await startHarness({ dataDir, maxHistoryFileBytes: limit });
  expect(harness.warnings).toEqual([]);
  await expect(harness.client.send(new DescribeExecutionCommand({ executionArn: loop }))).resolves.toMatchObject({
    status: 'FAILED',
    cause,
  });
  expect(await historyOf(harness.client, loop)).toEqual(before);
  expect(before.at(-1)).toMatchObject({ type: 'ExecutionFailed', executionFailedEventDetails: { cause } });
});
