/**
 * The callback pattern (states/task/callback.ts, .waitForTaskToken): tokens, SendTask* calls, heartbeats and
 * timeouts on the clock.
 */
import { TaskError } from '../../../src';
import { flush, harness, types } from '../../../src/testing/harness';

const ONE_WEEK = 604_800;

function callbackMachine(extra: object = {}, language: 'JSONPath' | 'JSONata' = 'JSONPath') {
  const payload =
    language === 'JSONata'
      ? {
          Arguments: {
            FunctionName: 'notify',
            Payload: { token: '{% $states.context.Task.Token %}', id: '{% $states.input.id %}' },
          },
        }
      : { Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token', 'id.$': '$.id' } } };
  return {
    QueryLanguage: language,
    StartAt: 'Wait for exam',
    States: {
      'Wait for exam': {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        ...payload,
        End: true,
        ...extra,
      },
    },
  };
}

async function started(extra: object = {}, language: 'JSONPath' | 'JSONata' = 'JSONPath') {
  const h = harness(() => ({ ok: true, output: { StatusCode: 200, Payload: null } }));
  const execution = h.start(callbackMachine(extra, language), { id: 'i1' });
  await flush();
  const token = h.requests[0]?.taskToken as string;
  return { h, execution, token };
}

test.each(['JSONPath', 'JSONata'] as const)(
  '%s: the token is unguessable, in $$.Task.Token and the request; SendTaskSuccess completes the task',
  async (language) => {
    const { h, execution, token } = await started({}, language);
    expect(token).toMatch(/^[A-Za-z0-9_-]{80,}$/);
    expect(h.requests[0].parameters).toEqual({ FunctionName: 'notify', Payload: { token, id: 'i1' } });
    expect(execution.info.status).toBe('RUNNING');
    expect(types(execution.events).slice(-1)).toEqual(['TaskSubmitted']);
    h.engine.sendTaskSuccess(token, { Result: 'PASSED' });
    const info = await execution.done;
    expect(info.output).toEqual({ Result: 'PASSED' });
    expect(types(execution.events)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(execution.events[4].taskSubmittedEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      output: '{"StatusCode":200,"Payload":null}',
      outputDetails: { truncated: false },
    });
    // A token is single-use: after the task closed it reads as TaskTimedOut; an unknown one as InvalidToken.
    expect(() => h.engine.sendTaskSuccess(token, {})).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
    expect(() => h.engine.sendTaskHeartbeat('not-a-token')).toThrow(TaskError);
    expect(() => h.engine.sendTaskHeartbeat('not-a-token')).toThrow(expect.objectContaining({ name: 'InvalidToken' }));
  },
);

test('SendTaskFailure fails the task with its error and cause', async () => {
  const { h, execution, token } = await started();
  h.engine.sendTaskFailure(token, 'HumanRejected', 'no');
  const info = await execution.done;
  expect(info).toMatchObject({ status: 'FAILED', error: 'HumanRejected', cause: 'no' });
  expect(execution.events.find((e) => e.type === 'TaskFailed')!.taskFailedEventDetails).toEqual({
    resourceType: 'lambda',
    resource: 'invoke.waitForTaskToken',
    error: 'HumanRejected',
    cause: 'no',
  });
});

test('SendTaskFailure without error or cause: the catcher gets nulls, States.ALL still matches', async () => {
  const h = harness(() => ({ ok: true, output: {} }));
  const execution = h.start({
    StartAt: 'T',
    States: {
      T: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { 't.$': '$$.Task.Token' },
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
        End: true,
      },
      Caught: { Type: 'Pass', End: true },
    },
  });
  await flush();
  h.engine.sendTaskFailure(h.requests[0].taskToken!);
  const info = await execution.done;
  expect(info.output).toEqual({ Error: null, Cause: null });
  expect(execution.events.find((e) => e.type === 'TaskFailed')!.taskFailedEventDetails).toEqual({
    resourceType: 'lambda',
    resource: 'invoke.waitForTaskToken',
  });
});

test('a one-week TimeoutSeconds fires in milliseconds of real time and is catchable as States.Timeout', async () => {
  const h = harness(() => ({ ok: true, output: {} }));
  const execution = h.start({
    StartAt: 'Notify',
    States: {
      Notify: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { 'token.$': '$$.Task.Token' },
        TimeoutSeconds: ONE_WEEK,
        Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'NotSat' }],
        End: true,
      },
      NotSat: { Type: 'Pass', Result: 'NOT_SAT', End: true },
    },
  });
  await flush();
  const token = h.requests[0].taskToken!;
  await h.clock.advance(ONE_WEEK * 1000 - 1);
  expect(execution.info.status).toBe('RUNNING');
  await h.clock.advance(1);
  const info = await execution.done;
  expect(info.output).toBe('NOT_SAT');
  expect(types(execution.events)).toContain('TaskTimedOut');
  expect(() => h.engine.sendTaskSuccess(token, {})).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
});

test('HeartbeatSeconds: each heartbeat re-arms the deadline; a missed one times out (States.HeartbeatTimeout matches)', async () => {
  const h = harness(() => ({ ok: true, output: {} }));
  const execution = h.start({
    StartAt: 'T',
    States: {
      T: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { 't.$': '$$.Task.Token' },
        HeartbeatSeconds: 60,
        TimeoutSeconds: 3600,
        Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], Next: 'NoBeat' }],
        End: true,
      },
      NoBeat: { Type: 'Pass', Result: 'no heartbeat', End: true },
    },
  });
  await flush();
  const token = h.requests[0].taskToken!;
  await h.clock.advance(50_000);
  h.engine.sendTaskHeartbeat(token);
  await h.clock.advance(50_000);
  expect(execution.info.status).toBe('RUNNING');
  h.engine.sendTaskHeartbeat(token);
  await h.clock.advance(59_999);
  expect(execution.info.status).toBe('RUNNING');
  await h.clock.advance(1);
  const info = await execution.done;
  expect(info.output).toBe('no heartbeat');
  expect(execution.events.find((e) => e.type === 'TaskTimedOut')!.taskTimedOutEventDetails).toMatchObject({
    error: 'States.Timeout',
  });
  expect(execution.events[2].taskScheduledEventDetails).toMatchObject({
    heartbeatInSeconds: 60,
    timeoutInSeconds: 3600,
  });
});

test('a success sent while the integration call is still in flight is delivered after TaskSubmitted', async () => {
  let engineRef: { sendTaskSuccess(token: string, output: unknown): void } | undefined;
  const h = harness(async (request) => {
    engineRef!.sendTaskSuccess(request.taskToken!, 'early');
    return { ok: true, output: { submitted: true } };
  });
  engineRef = h.engine;
  const execution = h.start(callbackMachine(), { id: 'x' });
  const info = await execution.done;
  expect(info.output).toBe('early');
  expect(types(execution.events)).toContain('TaskSubmitted');
});

test('a failing submit call fails the task at once without waiting', async () => {
  const h = harness(() => ({ ok: false, error: 'Lambda.ResourceNotFoundException', cause: 'Function not found' }));
  const execution = h.start(callbackMachine(), { id: 'x' });
  const info = await execution.done;
  expect(info).toMatchObject({ error: 'Lambda.ResourceNotFoundException', cause: 'Function not found' });
  expect(types(execution.events)).not.toContain('TaskSubmitted');
  expect(() => h.engine.sendTaskSuccess(h.requests[0].taskToken!, {})).toThrow(
    expect.objectContaining({ name: 'TaskTimedOut' }),
  );
});

test('stopping an execution aborts its waiting task and closes its token', async () => {
  const { h, execution, token } = await started();
  h.engine.stop(execution.info.executionArn, 'Admin', 'stopped by hand');
  const info = await execution.done;
  expect(info).toMatchObject({ status: 'ABORTED', error: 'Admin', cause: 'stopped by hand' });
  const aborted = execution.events[execution.events.length - 1];
  expect(aborted).toMatchObject({
    type: 'ExecutionAborted',
    previousEventId: 0,
    executionAbortedEventDetails: { error: 'Admin', cause: 'stopped by hand' },
  });
  expect(() => h.engine.sendTaskSuccess(token, {})).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
  expect(h.closed.map((c) => c.status)).toEqual(['ABORTED']);
});
