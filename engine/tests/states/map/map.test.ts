/** Map (states/map/map.ts): items, ItemSelector, concurrency, tolerated failures, and the history it records. */
import { harness, runToEnd, types } from '../../../src/testing/harness';

test('Map: ItemsPath, ItemSelector with $$.Map.Item, MaxConcurrency, results in order, iteration events', async () => {
  const h = harness();
  const execution = h.start(
    {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 2,
          ItemSelector: { 'v.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index', 'shared.$': '$.shared' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Double',
            States: {
              Double: {
                Type: 'Pass',
                Parameters: { 'r.$': 'States.MathAdd($.v, $.v)', 'i.$': '$.i', 's.$': '$.shared' },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    },
    { items: [1, 2, 3], shared: 's' },
  );
  const info = await runToEnd(h, execution);
  expect(info.output).toEqual([
    { r: 2, i: 0, s: 's' },
    { r: 4, i: 1, s: 's' },
    { r: 6, i: 2, s: 's' },
  ]);
  expect(execution.events.find((e) => e.type === 'MapStateStarted')!.mapStateStartedEventDetails).toEqual({
    length: 3,
  });
  expect(types(execution.events).filter((t) => t === 'MapIterationSucceeded')).toHaveLength(3);
});

test('Map: an iteration failure fails the Map unless tolerated', async () => {
  const failing = (extra: object) => ({
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'C',
          States: {
            C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'F' }], Default: 'P' },
            F: { Type: 'Fail', Error: 'Two' },
            P: { Type: 'Pass', End: true },
          },
        },
        End: true,
        ...extra,
      },
    },
  });
  const h = harness();
  const failed = await runToEnd(h, h.start(failing({}), [1, 2, 3]));
  expect(failed).toMatchObject({ status: 'FAILED', error: 'Two' });
  const t = harness();
  const tolerated = await runToEnd(t, t.start(failing({ ToleratedFailureCount: 1 }), [1, 2, 3]));
  expect(tolerated.status).toBe('SUCCEEDED');
  expect(tolerated.output).toEqual([1, { Error: 'Two', Cause: null }, 3]);
});

test('history: Map iteration and completion events link like AWS records them', async () => {
  const h = harness();
  const execution = h.start(
    {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    },
    [1, 2],
  );
  await runToEnd(h, execution);
  expect(execution.events.map((e) => [e.id, e.type, e.previousEventId])).toEqual([
    [1, 'ExecutionStarted', 0],
    [2, 'MapStateEntered', 0],
    [3, 'MapStateStarted', 2],
    [4, 'MapIterationStarted', 3],
    [5, 'PassStateEntered', 4],
    [6, 'PassStateExited', 5],
    [7, 'MapIterationSucceeded', 6],
    [8, 'MapIterationStarted', 6],
    [9, 'PassStateEntered', 8],
    [10, 'PassStateExited', 9],
    [11, 'MapIterationSucceeded', 10],
    [12, 'MapStateSucceeded', 11],
    [13, 'MapStateExited', 11],
    [14, 'ExecutionSucceeded', 13],
  ]);
});
