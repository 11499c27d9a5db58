/** Parallel, Map, Wait, variables scoping and the machine-level timeout, with the history they record. */
import { flush, harness, runToEnd, START_MS, types } from '../src/testing/harness';

test('Parallel: branch outputs in order; a failing branch stops the others and can be caught', async () => {
  const h = harness((request) => (request.stateName === 'Bad' ? { ok: false, error: 'Nope', cause: 'c' } : { ok: true, output: 'ok' }));
  const execution = h.start({
    StartAt: 'Par',
    States: {
      Par: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'One', States: { One: { Type: 'Pass', Result: 1, End: true } } },
          { StartAt: 'Bad', States: { Bad: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
        ],
        Catch: [{ ErrorEquals: ['Nope'], ResultPath: '$.err', Next: 'After' }],
        End: true,
      },
      After: { Type: 'Pass', End: true },
    },
  }, { in: 1 });
  const info = await runToEnd(h, execution);
  expect(info.output).toEqual({ in: 1, err: { Error: 'Nope', Cause: 'c' } });
  expect(types(execution.events)).toContain('ParallelStateFailed');
  const ok = harness();
  const info2 = await runToEnd(ok, ok.start({
    StartAt: 'Par',
    States: { Par: { Type: 'Parallel', Branches: [1, 2].map((n) => ({ StartAt: `B${n}`, States: { [`B${n}`]: { Type: 'Pass', Result: n, End: true } } })), End: true } },
  }));
  expect(info2.output).toEqual([1, 2]);
});

test('Map: ItemsPath, ItemSelector with $$.Map.Item, MaxConcurrency, results in order, iteration events', async () => {
  const h = harness();
  const execution = h.start({
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ItemsPath: '$.items',
        MaxConcurrency: 2,
        ItemSelector: { 'v.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index', 'shared.$': '$.shared' },
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Double', States: { Double: { Type: 'Pass', Parameters: { 'r.$': 'States.MathAdd($.v, $.v)', 'i.$': '$.i', 's.$': '$.shared' }, End: true } } },
        End: true,
      },
    },
  }, { items: [1, 2, 3], shared: 's' });
  const info = await runToEnd(h, execution);
  expect(info.output).toEqual([{ r: 2, i: 0, s: 's' }, { r: 4, i: 1, s: 's' }, { r: 6, i: 2, s: 's' }]);
  expect(execution.events.find((e) => e.type === 'MapStateStarted')!.mapStateStartedEventDetails).toEqual({ length: 3 });
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
          States: { C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'F' }], Default: 'P' }, F: { Type: 'Fail', Error: 'Two' }, P: { Type: 'Pass', End: true } },
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

test('variables: inner scopes read outer ones; Assign sees values from before the state; Catch on a Map assigns outside', async () => {
  const h = harness();
  const info = await runToEnd(h, h.start({
    QueryLanguage: 'JSONata',
    StartAt: 'Init',
    States: {
      Init: { Type: 'Pass', Assign: { x: 1, y: 2 }, Next: 'Swap' },
      Swap: { Type: 'Pass', Assign: { x: '{% $y %}', y: '{% $x %}' }, Next: 'M' },
      M: {
        Type: 'Map',
        Items: [10, 20],
        ItemProcessor: { StartAt: 'Add', States: { Add: { Type: 'Pass', Output: '{% $states.input + $x %}', End: true } } },
        Output: { sums: '{% $states.result %}', x: '{% $x %}', y: '{% $y %}' },
        End: true,
      },
    },
  }));
  expect(info.output).toEqual({ sums: [12, 22], x: 2, y: 1 });
});

test('StateExited records assignedVariables as JSON texts', async () => {
  const h = harness();
  const execution = h.start({ StartAt: 'A', States: { A: { Type: 'Pass', Assign: { s: 'text', 'n.$': '$.n' }, End: true } } }, { n: 4 });
  await runToEnd(h, execution);
  expect(execution.events[2].stateExitedEventDetails).toEqual({
    name: 'A',
    output: '{"n":4}',
    outputDetails: { truncated: false },
    assignedVariables: { s: '"text"', n: '4' },
    assignedVariablesDetails: { truncated: false },
  });
});

test('Wait: Seconds, SecondsPath and TimestampPath run on the clock without sleeping', async () => {
  const h = harness();
  const execution = h.start({
    StartAt: 'S',
    States: {
      S: { Type: 'Wait', Seconds: 10, Next: 'SP' },
      SP: { Type: 'Wait', SecondsPath: '$.s', Next: 'TP' },
      TP: { Type: 'Wait', TimestampPath: '$.t', End: true },
    },
  }, { s: 20, t: new Date(START_MS + 3_600_000).toISOString() });
  await flush();
  await h.clock.advance(10_000);
  expect(types(execution.events).filter((t) => t === 'WaitStateExited')).toHaveLength(1);
  await h.clock.advance(20_000);
  expect(types(execution.events).filter((t) => t === 'WaitStateExited')).toHaveLength(2);
  await h.clock.advance(3_600_000 - 30_000);
  const info = await execution.done;
  expect(info.stopDate).toBe(START_MS + 3_600_000);
});

test('the machine-level TimeoutSeconds ends the execution TIMED_OUT', async () => {
  const h = harness();
  const execution = h.start({ TimeoutSeconds: 5, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } });
  await flush();
  await h.clock.advance(5000);
  const info = await execution.done;
  expect(info).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  expect(types(execution.events)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);
  expect(h.clock.pendingTimers).toBe(0);
});

test('an invalid definition is rejected with DefinitionError before anything runs', () => {
  const h = harness();
  expect(() => h.start({ StartAt: 'Missing', States: { P: { Type: 'Pass', End: true } } })).toThrow(
    expect.objectContaining({ name: 'DefinitionError', message: expect.stringContaining('Invalid State Machine Definition') }),
  );
  expect(h.events.size).toBe(0);
});

test('JSONata $now() and $millis() read the engine clock', async () => {
  const h = harness();
  const info = await runToEnd(h, h.start({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: ['{% $now() %}', '{% $millis() %}'], End: true } } }));
  expect(info.output).toEqual([new Date(START_MS).toISOString(), START_MS]);
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
          { StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
          { StartAt: 'Fails', States: { Fails: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
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

test('history: Map iteration and completion events link like AWS records them', async () => {
  const h = harness();
  const execution = h.start({
    StartAt: 'M',
    States: { M: { Type: 'Map', MaxConcurrency: 1, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } },
  }, [1, 2]);
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
