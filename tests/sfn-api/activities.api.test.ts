/**
 * Activities through @aws-sdk/client-sfn: Create/Describe/List/Delete, GetActivityTask's long poll (ended by the
 * clock, not by waiting 60 s), and an activity Task state with the history AWS records (LocalStack's AWS-validated
 * test_activities: ActivityScheduled, ActivityStarted with the worker's name, ActivitySucceeded/Failed/TimedOut).
 */
import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DeleteActivityCommand,
  DescribeActivityCommand,
  GetActivityTaskCommand,
  ListActivitiesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import {
  advanceClock,
  errorOf,
  historyOf,
  parsed,
  roleArn,
  startHarness,
  stopHarness,
  waitForEnd,
  type Harness,
} from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => stopHarness(harness));

const activityMachine = (activityArn: string, extra: object = {}) =>
  JSON.stringify({
    StartAt: 'Work',
    States: { Work: { Type: 'Task', Resource: activityArn, ...extra, End: true } },
  });

let counter = 0;
async function startOn(activityArn: string, extra: object = {}) {
  const { stateMachineArn } = await harness.client.send(
    new CreateStateMachineCommand({
      name: `Worker${++counter}`,
      definition: activityMachine(activityArn, extra),
      roleArn,
    }),
  );
  return (await harness.client.send(new StartExecutionCommand({ stateMachineArn, input: '{"Value1":"HelloWorld"}' })))
    .executionArn!;
}

describe('activities', () => {
  it('creates (idempotently), describes, lists and deletes', async () => {
    const created = await harness.client.send(new CreateActivityCommand({ name: 'Grade' }));
    expect(created.activityArn).toBe('arn:aws:states:us-east-1:123456789012:activity:Grade');
    expect(await harness.client.send(new CreateActivityCommand({ name: 'Grade' }))).toMatchObject({
      activityArn: created.activityArn,
      creationDate: created.creationDate,
    });
    expect(await harness.client.send(new DescribeActivityCommand({ activityArn: created.activityArn }))).toMatchObject({
      activityArn: created.activityArn,
      name: 'Grade',
      creationDate: created.creationDate,
      encryptionConfiguration: { type: 'AWS_OWNED_KEY' },
    });
    expect((await harness.client.send(new ListActivitiesCommand({}))).activities).toContainEqual({
      activityArn: created.activityArn,
      name: 'Grade',
      creationDate: created.creationDate,
    });
    expect(await errorOf(harness.client.send(new CreateActivityCommand({ name: 'bad name' })))).toMatchObject({
      name: 'InvalidName',
      message: "Invalid Name: 'bad name'",
    });
    await harness.client.send(new DeleteActivityCommand({ activityArn: created.activityArn }));
    await harness.client.send(new DeleteActivityCommand({ activityArn: created.activityArn }));
    expect(
      await errorOf(harness.client.send(new DescribeActivityCommand({ activityArn: created.activityArn }))),
    ).toMatchObject({ name: 'ActivityDoesNotExist', message: `Activity Does Not Exist: '${created.activityArn}'` });
    expect(
      await errorOf(harness.client.send(new GetActivityTaskCommand({ activityArn: 'no_an_activity_arn' }))),
    ).toMatchObject({ name: 'InvalidArn', message: "Invalid Arn: 'Invalid ARN prefix: no_an_activity_arn'" });
  });

  it("runs an activity task: a worker polls, takes it and answers; the history is AWS's", async () => {
    const { activityArn } = await harness.client.send(new CreateActivityCommand({ name: 'Echo' }));
    // The worker polls first and waits: the task reaches it as soon as it is scheduled.
    const poll = harness.client.send(new GetActivityTaskCommand({ activityArn, workerName: 'worker-1' }));
    const executionArn = await startOn(activityArn!);
    const task = await poll;
    expect(parsed(task.input)).toEqual({ Value1: 'HelloWorld' });
    await harness.client.send(new SendTaskHeartbeatCommand({ taskToken: task.taskToken }));
    await harness.client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: task.input }));
    expect(await waitForEnd(harness.client, executionArn)).toMatchObject({ status: 'SUCCEEDED' });
    const events = await historyOf(harness.client, executionArn);
    expect(events.map((event) => [event.type, event.id, event.previousEventId])).toEqual([
      ['ExecutionStarted', 1, 0],
      ['TaskStateEntered', 2, 0],
      ['ActivityScheduled', 3, 2],
      ['ActivityStarted', 4, 3],
      ['ActivitySucceeded', 5, 4],
      ['TaskStateExited', 6, 5],
      ['ExecutionSucceeded', 7, 6],
    ]);
    expect(events[2].activityScheduledEventDetails).toEqual({
      resource: activityArn,
      input: '{"Value1":"HelloWorld"}',
      inputDetails: { truncated: false },
    });
    expect(events[3].activityStartedEventDetails).toEqual({ workerName: 'worker-1' });
  });

  it('queues a task until a worker polls; a failure and a timeout are recorded as on AWS', async () => {
    const { activityArn } = await harness.client.send(new CreateActivityCommand({ name: 'Slow' }));
    const failing = await startOn(activityArn!);
    const task = await harness.client.send(new GetActivityTaskCommand({ activityArn }));
    await harness.client.send(
      new SendTaskFailureCommand({ taskToken: task.taskToken, error: 'Programmatic Error', cause: 'no' }),
    );
    expect(await waitForEnd(harness.client, failing)).toMatchObject({
      status: 'FAILED',
      error: 'Programmatic Error',
      cause: 'no',
    });
    const types = (await historyOf(harness.client, failing)).map((event) => event.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'ActivityScheduled',
      'ActivityStarted',
      'ActivityFailed',
      'ExecutionFailed',
    ]);

    const timing = await startOn(activityArn!, { TimeoutSeconds: 5, HeartbeatSeconds: 2 });
    const taken = await harness.client.send(new GetActivityTaskCommand({ activityArn, workerName: 'w' }));
    expect(taken.taskToken).toEqual(expect.any(String));
    await advanceClock(harness, 3); // no heartbeat for more than 2 s
    expect(await waitForEnd(harness.client, timing)).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    const timedOut = await historyOf(harness.client, timing);
    expect(timedOut.map((event) => event.type)).toContain('ActivityTimedOut');
    expect(timedOut[2].activityScheduledEventDetails).toMatchObject({ timeoutInSeconds: 5, heartbeatInSeconds: 2 });
    expect(
      await errorOf(harness.client.send(new SendTaskSuccessCommand({ taskToken: taken.taskToken, output: '{}' }))),
    ).toMatchObject({ name: 'TaskTimedOut' });
  });

  it('answers an empty poll once 60 s pass on the clock', async () => {
    const { activityArn } = await harness.client.send(new CreateActivityCommand({ name: 'Idle' }));
    const poll = harness.client.send(new GetActivityTaskCommand({ activityArn }));
    await new Promise((resolve) => setImmediate(resolve));
    await advanceClock(harness, 61);
    const answer = await poll;
    expect(answer.taskToken).toBeUndefined();
  });

  it('fails the execution when the activity does not exist, with the cause AWS gives', async () => {
    const missing = 'arn:aws:states:us-east-1:123456789012:activity:Missing';
    const executionArn = await startOn(missing);
    expect(await waitForEnd(harness.client, executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: `An error occurred while executing the state 'Work' (entered at the event id #2). The activity ${missing} does not exist.`,
    });
  });
});
