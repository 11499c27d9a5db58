/** Retry (error-handling/retry.ts): back-off on the clock, MaxDelaySeconds, MaxAttempts, jitter. */
import { flush, harness, START_MS, types } from '../../src/testing/harness';

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

test('Retry backs off IntervalSeconds × BackoffRate^n on the clock, then succeeds', async () => {
  let calls = 0;
  const h = harness(() =>
    ++calls < 3
      ? { ok: false, error: 'Lambda.TooManyRequestsException' }
      : { ok: true, output: { Payload: { value: 1 } } },
  );
  const execution = h.start(
    invoke({ Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, BackoffRate: 3 }] }),
  );
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
  const execution = h.start(
    {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Retry: [
            { ErrorEquals: ['States.ALL'], IntervalSeconds: 10, BackoffRate: 10, MaxAttempts: 2, MaxDelaySeconds: 15 },
          ],
          Catch: [{ ErrorEquals: ['Boom'], ResultPath: '$.error', Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    },
    { keep: true },
  );
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
    States: {
      T: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 4, MaxAttempts: 1, JitterStrategy: 'FULL' }],
        End: true,
      },
    },
  });
  await flush();
  await h.clock.advance(4000);
  const info = await execution.done;
  expect(info.error).toBe('Boom');
  expect(h.requests).toHaveLength(2);
});
