/** Task states: request-response, errors, Retry, Catch, TimeoutSeconds, and the events they record. */
import { flush, harness, runToEnd, START_MS, types } from '../src/testing/harness';

const invoke = (extra: object = {}) => ({
  StartAt: 'T',
  States: {
    T: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'f', 'Payload.$': '$' },
      ResultSelector: { 'value.$': '$.Payload.value' },
      ResultPath: '$.result',
      End: true,
      ...extra,
    },
  },
});

test('request-response: parameters reach the integration, the result goes through ResultSelector and ResultPath', async () => {
  const h = harness(() => ({ ok: true, output: { Payload: { value: 42 }, StatusCode: 200 } }));
  const execution = h.start(invoke(), { a: 1 });
  const info = await runToEnd(h, execution);
  expect(info.output).toEqual({ a: 1, result: { value: 42 } });
  expect(h.requests[0]).toMatchObject({
    resource: 'arn:aws:states:::lambda:invoke',
    parameters: { FunctionName: 'f', Payload: { a: 1 } },
    stateName: 'T',
    stateMachineName: 'Test',
    attempt: 0,
  });
  expect(types(execution.events)).toEqual([
    'ExecutionStarted',
    'TaskStateEntered',
    'TaskScheduled',
    'TaskStarted',
    'TaskSucceeded',
    'TaskStateExited',
    'ExecutionSucceeded',
  ]);
  const scheduled = execution.events[2];
  expect(scheduled.taskScheduledEventDetails).toEqual({
    resourceType: 'lambda',
    resource: 'invoke',
    region: 'us-east-1',
    parameters: '{"FunctionName":"f","Payload":{"a":1}}',
  });
  expect(execution.events.map((e) => [e.id, e.previousEventId])).toEqual([
    [1, 0],
    [2, 0],
    [3, 2],
    [4, 3],
    [5, 4],
    [6, 5],
    [7, 6],
  ]);
});

test('an uncaught task error fails the execution with its error and cause', async () => {
  const h = harness(() => ({ ok: false, error: 'RoomUnavailable', cause: '{"errorType":"RoomUnavailable"}' }));
  const info = await runToEnd(h, h.start(invoke()));
  expect(info).toMatchObject({ status: 'FAILED', error: 'RoomUnavailable', cause: '{"errorType":"RoomUnavailable"}' });
});

test('Retry backs off IntervalSeconds × BackoffRate^n on the clock, then succeeds', async () => {
  let calls = 0;
  const h = harness(() => (++calls < 3 ? { ok: false, error: 'Lambda.TooManyRequestsException' } : { ok: true, output: { Payload: { value: 1 } } }));
  const execution = h.start(invoke({ Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, BackoffRate: 3 }] }));
  await flush();
  expect(calls).toBe(1);
  await h.clock.advance(1999);
  expect(calls).toBe(1);
  await h.clock.advance(1);
  expect(calls).toBe(2);
  await h.clock.advance(5999);
  expect(calls).toBe(2);
  await h.clock.advance(1);
  const info = await execution.done;
  expect(info.status).toBe('SUCCEEDED');
  expect(h.requests.map((r) => r.attempt)).toEqual([0, 1, 2]);
  expect(types(execution.events).filter((t) => t === 'TaskScheduled')).toHaveLength(3);
});

test('MaxDelaySeconds caps the back-off; MaxAttempts exhausted falls through to Catch', async () => {
  const h = harness(() => ({ ok: false, error: 'Boom', cause: 'bad' }));
  const execution = h.start({
    StartAt: 'T',
    States: {
      T: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 10, BackoffRate: 10, MaxAttempts: 2, MaxDelaySeconds: 15 }],
        Catch: [{ ErrorEquals: ['Boom'], ResultPath: '$.error', Next: 'Handled' }],
        End: true,
      },
      Handled: { Type: 'Pass', End: true },
    },
  }, { keep: true });
  await flush();
  await h.clock.advance(10_000);
  await h.clock.advance(15_000);
  const info = await execution.done;
  expect(h.clock.now() - START_MS).toBe(25_000);
  expect(info.output).toEqual({ keep: true, error: { Error: 'Boom', Cause: 'bad' } });
});

test('JitterStrategy FULL waits at most the computed delay', async () => {
  const h = harness(() => ({ ok: false, error: 'Boom' }));
  const execution = h.start({
    StartAt: 'T',
    States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 4, MaxAttempts: 1, JitterStrategy: 'FULL' }], End: true } },
  });
  await flush();
  await h.clock.advance(4000);
  const info = await execution.done;
  expect(info.error).toBe('Boom');
  expect(h.requests).toHaveLength(2);
});

test('TimeoutSeconds fails a slow task with States.Timeout (TaskTimedOut), catchable', async () => {
  let aborted = false;
  const h = harness((request) => new Promise((resolve) => request.signal.addEventListener('abort', () => { aborted = true; resolve({ ok: true, output: null }); })));
  const execution = h.start({
    StartAt: 'T',
    States: {
      T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', TimeoutSeconds: 30, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Late' }], End: true },
      Late: { Type: 'Pass', End: true },
    },
  });
  await flush();
  await h.clock.advance(30_000);
  const info = await execution.done;
  expect(aborted).toBe(true);
  expect(info.output).toEqual({ Error: 'States.Timeout', Cause: null });
  const timedOut = execution.events.find((e) => e.type === 'TaskTimedOut')!;
  expect(timedOut.taskTimedOutEventDetails).toEqual({ resourceType: 'lambda', resource: 'invoke', error: 'States.Timeout' });
  expect(execution.events[2].taskScheduledEventDetails).toMatchObject({ timeoutInSeconds: 30 });
});

test('States.TaskFailed matches task errors but not States.Timeout', async () => {
  const h = harness(() => ({ ok: false, error: 'Anything' }));
  const info = await runToEnd(
    h,
    h.start({
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'C' }], End: true },
        C: { Type: 'Pass', Result: 'caught', End: true },
      },
    }),
  );
  expect(info.output).toBe('caught');
});

test('JSONata task: Arguments, Output and Assign see $states.result', async () => {
  const h = harness((request) => ({ ok: true, output: { Payload: (request.parameters as { Payload: number }).Payload * 2 } }));
  const info = await runToEnd(
    h,
    h.start(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Arguments: { FunctionName: 'f', Payload: '{% $states.input.n %}' },
            Assign: { doubled: '{% $states.result.Payload %}' },
            Output: { out: '{% $states.result.Payload %}' },
            Next: 'U',
          },
          U: { Type: 'Pass', Output: '{% $doubled + 1 %}', End: true },
        },
      },
      { n: 4 },
    ),
  );
  expect(info.output).toBe(9);
});

test('legacy Lambda ARN resources record LambdaFunction* events', async () => {
  const h = harness(() => ({ ok: true, output: { ok: 1 } }));
  const execution = h.start({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:F', End: true } } });
  const info = await runToEnd(h, execution);
  expect(info.output).toEqual({ ok: 1 });
  expect(types(execution.events)).toEqual([
    'ExecutionStarted',
    'TaskStateEntered',
    'LambdaFunctionScheduled',
    'LambdaFunctionStarted',
    'LambdaFunctionSucceeded',
    'TaskStateExited',
    'ExecutionSucceeded',
  ]);
});

test('a throwing integration becomes a States.TaskFailed failure, not a crash', async () => {
  const h = harness(() => {
    throw new Error('host bug');
  });
  const info = await runToEnd(h, h.start(invoke()));
  expect(info).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed', cause: 'host bug' });
});
