/**
 * RedriveExecution through @aws-sdk/client-sfn: a failed execution continues from its failed state once the cause
 * is fixed, with AWS's redrive fields on DescribeExecution and ListExecutions (redriveFilter), the ExecutionRedriven
 * event in its history, clientToken idempotency, AWS's errors, the 14-day window on the local clock, and all of it
 * kept across a restart. One server (and data directory) for the file; the last test moves its clock.
 */
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { callbackMachine, functionArn, passMachine } from './definitions';
import { FakeLambda, namedError } from './fake-lambda';
import {
  errorOf,
  eventually,
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

/** Register (always works), then Grade (fails while `gradingBroken`), with a retry that does not help. */
const twoSteps = JSON.stringify({
  StartAt: 'Register',
  States: {
    Register: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: functionArn('Register'), 'Payload.$': '$' },
      ResultSelector: { 'registered.$': '$.Payload' },
      Next: 'Grade',
    },
    Grade: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: functionArn('Grade'), 'Payload.$': '$' },
      ResultSelector: { 'grade.$': '$.Payload' },
      Retry: [{ ErrorEquals: ['GradingDown'], MaxAttempts: 1, IntervalSeconds: 0 }],
      End: true,
    },
  },
});

let gradingBroken = true;
const grade = () => {
  if (gradingBroken) throw namedError('GradingDown', 'the grading service is down');
  return 'A';
};
const lambda = new FakeLambda({ Register: () => 'ok', Grade: grade, Notify: () => undefined });
let h: Harness;
let dataDir: string;
let stateMachineArn: string;

beforeAll(async () => {
  dataDir = newDataDir();
  h = await startHarness({ dataDir, lambda });
  ({ stateMachineArn } = (await h.client.send(
    new CreateStateMachineCommand({ name: 'Grading', definition: twoSteps, roleArn }),
  )) as { stateMachineArn: string });
});
afterAll(() => stopHarness(h));

const describe_ = (executionArn: string) => h.client.send(new DescribeExecutionCommand({ executionArn }));
const calls = (name: string) => lambda.calls.filter((call) => call.functionName.endsWith(`:${name}`)).length;

async function failedRun(name: string): Promise<string> {
  gradingBroken = true;
  const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn, name, input: '{}' }));
  expect((await waitForEnd(h.client, executionArn!)).status).toBe('FAILED');
  return executionArn!;
}

test('a failed execution is redriven from its failed state once the cause is fixed', async () => {
  const executionArn = await failedRun('run-1');
  const failed = await describe_(executionArn);
  expect(failed).toMatchObject({ status: 'FAILED', redriveCount: 0, redriveStatus: 'REDRIVABLE' });
  expect(failed.redriveDate).toBeUndefined();
  expect(failed.redriveStatusReason).toBeUndefined();
  const before = await historyOf(h.client, executionArn);
  const [registered, graded] = [calls('Register'), calls('Grade')];

  gradingBroken = false;
  const { redriveDate } = await h.client.send(new RedriveExecutionCommand({ executionArn }));
  expect(redriveDate).toBeInstanceOf(Date);
  const done = await waitForEnd(h.client, executionArn);
  expect(done).toMatchObject({
    status: 'SUCCEEDED',
    redriveCount: 1,
    redriveDate,
    redriveStatus: 'NOT_REDRIVABLE',
    redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
    input: '{}',
  });
  expect(JSON.parse(done.output!)).toEqual({ grade: 'A' });
  // Register is not run again; Grade runs once more.
  expect([calls('Register') - registered, calls('Grade') - graded]).toEqual([0, 1]);

  const history = await historyOf(h.client, executionArn);
  expect(history.slice(0, before.length)).toEqual(before);
  const added = history.slice(before.length);
  expect(added.map((event) => [event.id, event.previousEventId, event.type])).toEqual([
    [before.length + 1, before.length, 'ExecutionRedriven'],
    [before.length + 2, before.length + 1, 'TaskStateEntered'],
    [before.length + 3, before.length + 2, 'TaskScheduled'],
    [before.length + 4, before.length + 3, 'TaskStarted'],
    [before.length + 5, before.length + 4, 'TaskSucceeded'],
    [before.length + 6, before.length + 5, 'TaskStateExited'],
    [before.length + 7, before.length + 6, 'ExecutionSucceeded'],
  ]);
  expect(added[0].executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
  expect(added[0].timestamp).toEqual(redriveDate);
  expect(added[1].stateEnteredEventDetails?.name).toBe('Grade');
  // The engine's bookkeeping stays off the wire.
  expect(Object.keys(added[0]).sort()).toEqual([
    'executionRedrivenEventDetails',
    'id',
    'previousEventId',
    'timestamp',
    'type',
  ]);

  const listed = async (redriveFilter?: 'REDRIVEN' | 'NOT_REDRIVEN') =>
    (await h.client.send(new ListExecutionsCommand({ stateMachineArn, redriveFilter }))).executions ?? [];
  expect((await listed('REDRIVEN')).map((e) => [e.name, e.redriveCount, e.redriveDate])).toEqual([
    ['run-1', 1, redriveDate],
  ]);
  expect((await listed('NOT_REDRIVEN')).map((e) => e.name)).not.toContain('run-1');
});

test('the same clientToken answers the same redrive; another one while it runs is refused', async () => {
  const executionArn = await failedRun('run-2');
  gradingBroken = false;
  lambda.define('Grade', () => new Promise(() => undefined)); // Grade hangs: the redriven execution keeps running
  try {
    const first = await h.client.send(new RedriveExecutionCommand({ executionArn, clientToken: 'token-1' }));
    const again = await h.client.send(new RedriveExecutionCommand({ executionArn, clientToken: 'token-1' }));
    expect(again.redriveDate).toEqual(first.redriveDate);
    const refused = await errorOf(h.client.send(new RedriveExecutionCommand({ executionArn, clientToken: 'token-2' })));
    expect(refused).toMatchObject({
      name: 'ExecutionNotRedrivable',
      message: 'Execution is RUNNING and cannot be redriven',
      $metadata: { httpStatusCode: 400 },
    });
    const redriven = (await historyOf(h.client, executionArn)).filter((e) => e.type === 'ExecutionRedriven');
    expect(redriven).toHaveLength(1);
    await h.client.send(new StopExecutionCommand({ executionArn }));
  } finally {
    lambda.define('Grade', grade);
  }
});

test('an ABORTED execution waiting for a callback is redriven with a new task token', async () => {
  const tokens: string[] = [];
  lambda.define('Notify', (event) => void tokens.push((event as { token: string }).token));
  const { stateMachineArn: callbackArn } = await h.client.send(
    new CreateStateMachineCommand({ name: 'Callback', definition: callbackMachine(), roleArn }),
  );
  const { executionArn } = await h.client.send(
    new StartExecutionCommand({ stateMachineArn: callbackArn, name: 'waiting', input: '{}' }),
  );
  await waitForEvent(h.client, executionArn!, 'TaskSubmitted');
  await h.client.send(new StopExecutionCommand({ executionArn, error: 'Stopped' }));
  expect(await describe_(executionArn!)).toMatchObject({ status: 'ABORTED', redriveStatus: 'REDRIVABLE' });
  await h.client.send(new RedriveExecutionCommand({ executionArn }));
  await eventually(
    'a second token',
    async () => tokens.length,
    (count) => count === 2,
  );
  expect(tokens[1]).not.toBe(tokens[0]);
  await h.client.send(new SendTaskSuccessCommand({ taskToken: tokens[1], output: '{"done":true}' }));
  expect(await waitForEnd(h.client, executionArn!)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
});

test("AWS's errors: not redrivable, unknown execution, bad ARN, bad client token", async () => {
  const { stateMachineArn: passArn } = await h.client.send(
    new CreateStateMachineCommand({ name: 'Greeter', definition: passMachine, roleArn }),
  );
  const { executionArn } = await h.client.send(
    new StartExecutionCommand({ stateMachineArn: passArn, name: 'ok', input: '{"name":"Ada"}' }),
  );
  await waitForEnd(h.client, executionArn!);
  await expect(errorOf(h.client.send(new RedriveExecutionCommand({ executionArn })))).resolves.toMatchObject({
    name: 'ExecutionNotRedrivable',
    message: 'Execution is SUCCEEDED and cannot be redriven',
  });
  const missing = executionArn!.replace(':ok', ':missing');
  await expect(errorOf(h.client.send(new RedriveExecutionCommand({ executionArn: missing })))).resolves.toMatchObject({
    name: 'ExecutionDoesNotExist',
    message: `Execution Does Not Exist: '${missing}'`,
  });
  await expect(errorOf(h.client.send(new RedriveExecutionCommand({ executionArn: passArn })))).resolves.toMatchObject({
    name: 'InvalidArn',
  });
  await expect(
    errorOf(h.client.send(new RedriveExecutionCommand({ executionArn, clientToken: 'x'.repeat(65) }))),
  ).resolves.toMatchObject({ name: 'ValidationException' });
});

test('an execution of a deleted state machine is not redrivable', async () => {
  const { stateMachineArn: doomed } = await h.client.send(
    new CreateStateMachineCommand({ name: 'Doomed', definition: twoSteps, roleArn }),
  );
  gradingBroken = true;
  const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: doomed, name: 'gone' }));
  await waitForEnd(h.client, executionArn!);
  await h.client.send(new DeleteStateMachineCommand({ stateMachineArn: doomed }));
  expect(await describe_(executionArn!)).toMatchObject({
    redriveStatus: 'NOT_REDRIVABLE',
    redriveStatusReason: 'State machine is in DELETING status',
  });
  await expect(errorOf(h.client.send(new RedriveExecutionCommand({ executionArn })))).resolves.toMatchObject({
    name: 'ExecutionNotRedrivable',
    message: 'State machine is in DELETING status',
  });
});

test('redrives are kept across a restart, and a redriven execution can be redriven again', async () => {
  const executionArn = await failedRun('run-3');
  gradingBroken = true;
  await h.client.send(new RedriveExecutionCommand({ executionArn }));
  expect(await waitForEnd(h.client, executionArn)).toMatchObject({ status: 'FAILED', redriveCount: 1 });
  const before = await historyOf(h.client, executionArn);
  await stopHarness(h, { keepData: true });
  h = await startHarness({ dataDir, lambda });

  expect(await describe_(executionArn)).toMatchObject({
    status: 'FAILED',
    redriveCount: 1,
    redriveStatus: 'REDRIVABLE',
  });
  expect(await historyOf(h.client, executionArn)).toEqual(before);
  gradingBroken = false;
  await h.client.send(new RedriveExecutionCommand({ executionArn }));
  expect(await waitForEnd(h.client, executionArn)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 2 });
  const redriven = (await historyOf(h.client, executionArn)).filter((e) => e.type === 'ExecutionRedriven');
  expect(redriven.map((e) => e.executionRedrivenEventDetails?.redriveCount)).toEqual([1, 2]);
});

test('14 days after it stopped, by the local clock, an execution is no longer redrivable', async () => {
  const executionArn = await failedRun('run-4');
  await h.server.clock.advance(14 * 24 * 3600 * 1000 + 1000);
  expect(await describe_(executionArn)).toMatchObject({
    redriveStatus: 'NOT_REDRIVABLE',
    redriveStatusReason: 'Execution redrivable period exceeded',
  });
  await expect(errorOf(h.client.send(new RedriveExecutionCommand({ executionArn })))).resolves.toMatchObject({
    name: 'ExecutionNotRedrivable',
    message: 'Execution redrivable period exceeded',
  });
});
