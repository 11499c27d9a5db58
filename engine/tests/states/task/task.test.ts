/**
 * Task states (states/task/task.ts): request-response, errors, JSONata, legacy Lambda resources, and the events
 * they record.
 */
import { harness, runToEnd, types } from '../../../src/testing/harness';

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

test('JSONata task: Arguments, Output and Assign see $states.result', async () => {
  const h = harness((request) => ({
    ok: true,
    output: { Payload: (request.parameters as { Payload: number }).Payload * 2 },
  }));
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
  const execution = h.start({
    StartAt: 'T',
    States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:F', End: true } },
  });
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
