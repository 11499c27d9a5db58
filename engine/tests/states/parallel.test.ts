/** Parallel (states/parallel.ts): branch outputs, a failing branch, and the history it records. */
import { harness, runToEnd, types } from '../../src/testing/harness';

test('Parallel: branch outputs in order; a failing branch stops the others and can be caught', async () => {
  const h = harness((request) =>
    request.stateName === 'Bad' ? { ok: false, error: 'Nope', cause: 'c' } : { ok: true, output: 'ok' },
  );
  const execution = h.start(
    {
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'One', States: { One: { Type: 'Pass', Result: 1, End: true } } },
            {
              StartAt: 'Bad',
              States: { Bad: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } },
            },
          ],
          Catch: [{ ErrorEquals: ['Nope'], ResultPath: '$.err', Next: 'After' }],
          End: true,
        },
        After: { Type: 'Pass', End: true },
      },
    },
    { in: 1 },
  );
  const info = await runToEnd(h, execution);
  expect(info.output).toEqual({ in: 1, err: { Error: 'Nope', Cause: 'c' } });
  expect(types(execution.events)).toContain('ParallelStateFailed');
  const ok = harness();
  const info2 = await runToEnd(
    ok,
    ok.start({
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel',
          Branches: [1, 2].map((n) => ({
            StartAt: `B${n}`,
            States: { [`B${n}`]: { Type: 'Pass', Result: n, End: true } },
          })),
          End: true,
        },
      },
    }),
  );
  expect(info2.output).toEqual([1, 2]);
});

test('history: a failing branch records TaskStateAborted for the running sibling before ParallelStateFailed', async () => {
  const h = harness((request) =>
    request.stateName === 'Fails' ? { ok: false, error: 'Boom' } : new Promise(() => undefined),
  );
  const execution = h.start({
    StartAt: 'Par',
    States: {
      Par: {
        Type: 'Parallel',
        Branches: [
          {
            StartAt: 'Slow',
            States: { Slow: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } },
          },
          {
            StartAt: 'Fails',
            States: { Fails: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } },
          },
        ],
        End: true,
      },
    },
  });
  const info = await runToEnd(h, execution);
  expect(info.error).toBe('Boom');
  const tail = execution.events.slice(-4).map((e) => [e.type, e.previousEventId]);
  const failed = execution.events.find((e) => e.type === 'TaskFailed')!;
  expect(tail).toEqual([
    ['TaskFailed', failed.previousEventId],
    ['TaskStateAborted', expect.any(Number)],
    ['ParallelStateFailed', failed.id],
    ['ExecutionFailed', failed.id + 2],
  ]);
});
