/** Calling the integration (states/task/invoke.ts): TimeoutSeconds and a throwing integration. */
import { flush, harness, runToEnd } from '../../../src/testing/harness';

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

test('TimeoutSeconds fails a slow task with States.Timeout (TaskTimedOut), catchable', async () => {
  let aborted = false;
  const h = harness(
    (request) =>
      new Promise((resolve) =>
        request.signal.addEventListener('abort', () => {
          aborted = true;
          resolve({ ok: true, output: null });
        }),
      ),
  );
  const execution = h.start({
    StartAt: 'T',
    States: {
      T: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        TimeoutSeconds: 30,
        Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Late' }],
        End: true,
      },
      Late: { Type: 'Pass', End: true },
    },
  });
  await flush();
  await h.clock.advance(30_000);
  const info = await execution.done;
  expect(aborted).toBe(true);
  expect(info.output).toEqual({ Error: 'States.Timeout', Cause: null });
  const timedOut = execution.events.find((e) => e.type === 'TaskTimedOut')!;
  expect(timedOut.taskTimedOutEventDetails).toEqual({
    resourceType: 'lambda',
    resource: 'invoke',
    error: 'States.Timeout',
  });
  expect(execution.events[2].taskScheduledEventDetails).toMatchObject({ timeoutInSeconds: 30 });
});

test('a throwing integration becomes a States.TaskFailed failure, not a crash', async () => {
  const h = harness(() => {
    throw new Error('host bug');
  });
  const info = await runToEnd(h, h.start(invoke()));
  expect(info).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed', cause: 'host bug' });
});
