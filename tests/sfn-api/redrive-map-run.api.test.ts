/**
 * Redriving a parent whose Distributed Map's map run failed, through @aws-sdk/client-sfn: the parent redrives the
 * map run it had, as AWS documents it (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html):
 * no second map run, the succeeded children kept and not run again, the failed STANDARD children redriven under
 * their ARNs and EXPRESS ones started again, MapRunRedriven in the parent's history, DescribeMapRun's redriveCount,
 * redriveDate, pendingRedrive and failuresNotRedrivable, and all of it kept across a restart. One server (and data
 * directory) for the file; the last test moves its clock.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { functionArn } from './definitions';
import { FakeLambda, namedError } from './fake-lambda';
import {
  advanceClock,
  errorOf,
  eventually,
  historyOf,
  newDataDir,
  roleArn,
  startHarness,
  stopHarness,
  waitForEnd,
  type Harness,
} from './harness';

jest.setTimeout(60_000);

/** Items run one at a time; one failure is tolerated, the second fails the map run. */
const parentOf = (executionType: 'STANDARD' | 'EXPRESS') =>
  JSON.stringify({
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        Label: 'Items',
        MaxConcurrency: 1,
        ToleratedFailureCount: 1,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: executionType },
          StartAt: 'Check',
          States: {
            Check: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: functionArn('Check'), 'Payload.$': '$' },
              OutputPath: '$.Payload',
              End: true,
            },
          },
        },
        End: true,
      },
    },
  });

/** The items that fail, and a gate an item may wait at (to see the map run while it is being redriven). */
let broken = new Set<number>();
let gate: { item: number; opened: Promise<void> } | undefined;
const check = async (item: unknown) => {
  const waiting = gate;
  if (waiting && waiting.item === item) await waiting.opened;
  if (broken.has(item as number)) throw namedError('CheckDown', `item ${item} cannot be checked yet`);
  return (item as number) * 10;
};
const lambda = new FakeLambda({ Check: check });
const callsFor = (item: number) => lambda.calls.filter((call) => call.event === item).length;

let h: Harness;
const dataDir = newDataDir();
beforeAll(async () => {
  h = await startHarness({ dataDir, lambda });
});
afterAll(() => stopHarness(h));

async function failedParent(name: string, executionType: 'STANDARD' | 'EXPRESS', items: number[]) {
  const { stateMachineArn } = await h.client.send(
    new CreateStateMachineCommand({ name, definition: parentOf(executionType), roleArn }),
  );
  const { executionArn } = await h.client.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(items) }),
  );
  expect((await waitForEnd(h.client, executionArn!)).status).toBe('FAILED');
  const [{ mapRunArn }] = (await h.client.send(new ListMapRunsCommand({ executionArn }))).mapRuns!;
  return { stateMachineArn: stateMachineArn!, executionArn: executionArn!, mapRunArn: mapRunArn! };
}

const describeMapRun = (mapRunArn: string) => h.client.send(new DescribeMapRunCommand({ mapRunArn }));
const childrenOf = async (mapRunArn: string) =>
  (await h.client.send(new ListExecutionsCommand({ mapRunArn }))).executions ?? [];

test('a redriven parent redrives its failed map run: only the failed STANDARD children run again', async () => {
  broken = new Set([2, 4]);
  const { stateMachineArn, executionArn, mapRunArn } = await failedParent(
    'RedriveStandardChildren',
    'STANDARD',
    [1, 2, 3, 4],
  );
  const failedRun = await describeMapRun(mapRunArn);
  expect(failedRun).toMatchObject({ status: 'FAILED', redriveCount: 0 });
  expect(failedRun.redriveDate).toBeUndefined();
  expect(failedRun.executionCounts).toMatchObject({
    succeeded: 2,
    failed: 2,
    pendingRedrive: 0,
    failuresNotRedrivable: 0,
    total: 4,
  });
  const childArns = new Set((await childrenOf(mapRunArn)).map((child) => child.executionArn));
  const before = await historyOf(h.client, executionArn);

  broken = new Set();
  let open = () => {};
  gate = { item: 2, opened: new Promise<void>((resolve) => (open = resolve)) };
  const { redriveDate } = await h.client.send(new RedriveExecutionCommand({ executionArn }));
  // Child 2 is being redriven; child 4 waits its turn (MaxConcurrency 1).
  const during = await eventually(
    'child 2 redriven',
    () => describeMapRun(mapRunArn),
    (answer) => answer.executionCounts?.running === 1,
  );
  expect(during).toMatchObject({ status: 'RUNNING', redriveCount: 1 });
  // The map run is redriven as the redriven parent reaches it.
  expect(during.redriveDate!.getTime()).toBeGreaterThanOrEqual(redriveDate!.getTime());
  expect(during.stopDate).toBeUndefined();
  expect(during.executionCounts).toMatchObject({ succeeded: 2, running: 1, pendingRedrive: 1, failed: 0 });
  expect(during.itemCounts).toMatchObject({ succeeded: 2, running: 1, pendingRedrive: 1, failed: 0 });
  // The child waiting for its redrive is PENDING_REDRIVE (ListExecutions with a mapRunArn only).
  const [waiting] = (await h.client.send(new ListExecutionsCommand({ mapRunArn, statusFilter: 'PENDING_REDRIVE' })))
    .executions!;
  expect(childArns.has(waiting.executionArn!)).toBe(true);
  expect(await h.client.send(new DescribeExecutionCommand({ executionArn: waiting.executionArn }))).toMatchObject({
    status: 'PENDING_REDRIVE',
  });
  expect(
    await errorOf(h.client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'PENDING_REDRIVE' }))),
  ).toMatchObject({ name: 'ValidationException' });
  open();

  const done = await waitForEnd(h.client, executionArn);
  expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
  expect(JSON.parse(done.output!)).toEqual([10, 20, 30, 40]);
  // Items 1 and 3 ran once; 2 and 4 ran again.
  expect([1, 2, 3, 4].map(callsFor)).toEqual([1, 2, 1, 2]);

  const { mapRuns } = await h.client.send(new ListMapRunsCommand({ executionArn }));
  expect(mapRuns!.map((run) => run.mapRunArn)).toEqual([mapRunArn]);
  const redriven = await describeMapRun(mapRunArn);
  expect(redriven).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, redriveDate: during.redriveDate });
  expect(redriven.executionCounts).toMatchObject({ succeeded: 4, failed: 0, pendingRedrive: 0, total: 4 });
  // The same children: the failed ones were redriven under their ARNs (RedriveExecution), not replaced.
  const children = await childrenOf(mapRunArn);
  expect(new Set(children.map((child) => child.executionArn))).toEqual(childArns);
  expect(children.map((child) => child.redriveCount).sort()).toEqual([0, 0, 1, 1]);

  const history = await historyOf(h.client, executionArn);
  expect(history.slice(0, before.length)).toEqual(before);
  const added = history.slice(before.length);
  expect(added.map((event) => [event.id! - before.length, event.previousEventId! - before.length, event.type])).toEqual(
    [
      [1, 0, 'ExecutionRedriven'],
      [2, 1, 'MapRunRedriven'],
      [3, 2, 'MapRunSucceeded'],
      [4, 3, 'MapStateSucceeded'],
      [5, 3, 'MapStateExited'],
      [6, 5, 'ExecutionSucceeded'],
    ],
  );
  expect(added[1].mapRunRedrivenEventDetails).toEqual({ mapRunArn, redriveCount: 1 });
  expect(history.filter((event) => event.type === 'MapRunStarted')).toHaveLength(1);
});

test('EXPRESS children are started again; a map run redriven twice counts both, across a restart', async () => {
  gate = undefined;
  broken = new Set([5, 7]);
  const { executionArn, mapRunArn } = await failedParent('RedriveExpressChildren', 'EXPRESS', [5, 6, 7]);
  // Still broken: the redriven map run fails again.
  await h.client.send(new RedriveExecutionCommand({ executionArn }));
  expect(await waitForEnd(h.client, executionArn)).toMatchObject({ status: 'FAILED', redriveCount: 1 });
  expect(await describeMapRun(mapRunArn)).toMatchObject({ status: 'FAILED', redriveCount: 1 });

  await stopHarness(h, { keepData: true });
  h = await startHarness({ dataDir, lambda });
  expect(await describeMapRun(mapRunArn)).toMatchObject({ status: 'FAILED', redriveCount: 1 });

  broken = new Set();
  await h.client.send(new RedriveExecutionCommand({ executionArn }));
  const done = await waitForEnd(h.client, executionArn);
  expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 2 });
  expect(JSON.parse(done.output!)).toEqual([50, 60, 70]);
  // 6 succeeded at first and was kept; 5 and 7 ran in each of the three attempts.
  expect([5, 6, 7].map(callsFor)).toEqual([3, 1, 3]);
  const redriven = (await historyOf(h.client, executionArn))
    .filter((event) => event.type === 'MapRunRedriven')
    .map((event) => event.mapRunRedrivenEventDetails);
  expect(redriven).toEqual([
    { mapRunArn, redriveCount: 1 },
    { mapRunArn, redriveCount: 2 },
  ]);
  const run = await describeMapRun(mapRunArn);
  expect(run).toMatchObject({ status: 'SUCCEEDED', redriveCount: 2 });
  expect(run.executionCounts).toMatchObject({ succeeded: 3, failed: 0, total: 3 });
});

test('a parent stopped while its map run ran redrives the aborted map run', async () => {
  broken = new Set();
  let open = () => {};
  gate = { item: 12, opened: new Promise<void>((resolve) => (open = resolve)) };
  const { stateMachineArn } = await h.client.send(
    new CreateStateMachineCommand({ name: 'StoppedParent', definition: parentOf('STANDARD'), roleArn }),
  );
  const { executionArn } = await h.client.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify([11, 12, 13]) }),
  );
  const [{ mapRunArn }] = (
    await eventually(
      'the map run started',
      () => h.client.send(new ListMapRunsCommand({ executionArn })),
      (answer) => (answer.mapRuns ?? []).length === 1,
    )
  ).mapRuns!;
  await eventually(
    'item 12 at its gate',
    async () => callsFor(12),
    (calls) => calls === 1,
  );
  await h.client.send(new StopExecutionCommand({ executionArn }));
  expect((await waitForEnd(h.client, executionArn!)).status).toBe('ABORTED');
  const aborted = await describeMapRun(mapRunArn!);
  expect(aborted).toMatchObject({ status: 'ABORTED' });
  expect(aborted.executionCounts).toMatchObject({ succeeded: 1, aborted: 1, pending: 1 });

  gate = undefined;
  open();
  await h.client.send(new RedriveExecutionCommand({ executionArn }));
  const done = await waitForEnd(h.client, executionArn!);
  expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
  expect(JSON.parse(done.output!)).toEqual([110, 120, 130]);
  expect([11, 12, 13].map(callsFor)).toEqual([1, 2, 1]);
  expect(await describeMapRun(mapRunArn!)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
});

test('past the redrivable period, failed STANDARD children count as failuresNotRedrivable', async () => {
  broken = new Set([8]);
  const { executionArn, mapRunArn } = await failedParent('TooLate', 'STANDARD', [8, 9, 8]);
  await advanceClock(h, 15 * 24 * 60 * 60);
  const late = await describeMapRun(mapRunArn);
  expect(late.executionCounts).toMatchObject({ succeeded: 1, failed: 2, failuresNotRedrivable: 2 });
  expect(late.itemCounts).toMatchObject({ failed: 2, failuresNotRedrivable: 2 });
  expect(await h.client.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
    redriveStatus: 'NOT_REDRIVABLE',
    redriveStatusReason: 'Execution redrivable period exceeded',
  });
});
