/**
 * RedriveExecution in the engine (Engine.redrive, execution/redrive.ts, execution/redrive-record.ts): what runs
 * again and what does not, the events a redrive adds and how their ids continue, redriveCount and the context
 * object, which executions can be redriven, and the resume of a redriven execution after a restart.
 */
import { Engine, ExecutionError, type HistoryEvent, type TaskRequest } from '../../src';
import { REDRIVABLE_PERIOD_MS, redriveVerdict } from '../../src/execution/redrive';
import { flush, harness, runToEnd, types } from '../../src/testing/harness';

/** An integration that fails while `broken` holds, then answers with the parameters. */
function flaky(broken: (request: TaskRequest) => boolean) {
  return harness((request) =>
    broken(request) ? { ok: false, error: 'Service.Down', cause: 'down' } : { ok: true, output: request.parameters },
  );
}

const chain = {
  StartAt: 'First',
  States: {
    First: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { step: 1 }, Next: 'Second' },
    Second: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'step.$': '$.step', count: 2, 'redrives.$': '$$.Execution.RedriveCount' },
      Retry: [{ ErrorEquals: ['Service.Down'], MaxAttempts: 1, IntervalSeconds: 1 }],
      End: true,
    },
  },
};

async function failedRun(definition: object, broken: () => boolean) {
  let down = true;
  const h = flaky((request) => down && broken.call(null) && JSON.stringify(request.parameters).includes('count'));
  const execution = h.start(definition, {});
  const info = await runToEnd(h, execution);
  return { h, info, execution, fix: () => (down = false) };
}

test('a failed Task runs again with its retries afresh; the states before it are not run again', async () => {
  const { h, info, execution, fix } = await failedRun(chain, () => true);
  expect(info.status).toBe('FAILED');
  const before = [...execution.events];
  expect(types(before)).toEqual([
    'ExecutionStarted',
    'TaskStateEntered',
    'TaskScheduled',
    'TaskStarted',
    'TaskSucceeded',
    'TaskStateExited',
    'TaskStateEntered',
    'TaskScheduled',
    'TaskStarted',
    'TaskFailed',
    'TaskScheduled',
    'TaskStarted',
    'TaskFailed',
    'ExecutionFailed',
  ]);
  fix();
  h.requests.length = 0;
  h.clock.advance(60_000);
  const redriven = h.engine.redrive(h.options(chain, {}), before);
  const done = await runToEnd(h, redriven);
  expect(done.status).toBe('SUCCEEDED');
  expect(done.redriveCount).toBe(1);
  expect(done.redriveDate).toBe(redriven.events[before.length].timestamp);
  // Only Second is invoked, once; First's recorded result is used.
  expect(h.requests.map((r) => r.stateName ?? r.parameters)).toHaveLength(1);
  expect(done.output).toEqual({ step: 1, count: 2, redrives: 1 });
  const added = redriven.events.slice(before.length);
  expect(added.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
    [15, 14, 'ExecutionRedriven'],
    [16, 15, 'TaskStateEntered'],
    [17, 16, 'TaskScheduled'],
    [18, 17, 'TaskStarted'],
    [19, 18, 'TaskSucceeded'],
    [20, 19, 'TaskStateExited'],
    [21, 20, 'ExecutionSucceeded'],
  ]);
  expect(added[0].executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
  // The earlier attempt's events stay as they were; the host is handed only the new ones.
  expect(redriven.events.slice(0, before.length)).toEqual(before);
  expect(h.events.get(redriven.info.executionArn)!.slice(before.length)).toEqual(added);
  // $$.Execution.RedriveCount is 1 in the redriven attempt.
  expect(h.requests[0].parameters).toMatchObject({ redrives: 1 });
});

test('a Parallel runs again only the branch that failed; the sibling branch it aborted runs again too', async () => {
  const definition = {
    StartAt: 'Both',
    States: {
      Both: {
        Type: 'Parallel',
        End: true,
        Branches: [
          {
            StartAt: 'Ok',
            States: {
              Ok: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { ok: 1 }, End: true },
            },
          },
          {
            StartAt: 'Bad',
            States: {
              Bad: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { count: 1 }, End: true },
            },
          },
          {
            StartAt: 'Slow',
            States: {
              Slow: { Type: 'Wait', Seconds: 100, Next: 'After' },
              After: { Type: 'Pass', Result: 'slow', End: true },
            },
          },
        ],
      },
    },
  };
  const { h, info, execution, fix } = await failedRun(definition, () => true);
  expect(info.status).toBe('FAILED');
  expect(types(execution.events)).toContain('WaitStateAborted');
  fix();
  h.requests.length = 0;
  const redriven = h.engine.redrive(h.options(definition, {}), [...execution.events]);
  const done = await runToEnd(h, redriven);
  expect(done.status).toBe('SUCCEEDED');
  expect(done.output).toEqual([{ ok: 1 }, { count: 1 }, 'slow']);
  // Ok is not invoked again; Bad is.
  expect(h.requests.map((r) => r.parameters)).toEqual([{ count: 1 }]);
  const added = redriven.events.slice(execution.events.length);
  const entered = added.filter((e) => e.type.endsWith('StateEntered'));
  expect(entered.map((e) => (e.stateEnteredEventDetails as { name: string }).name).sort()).toEqual([
    'After',
    'Bad',
    'Slow',
  ]);
  // The states run again follow ExecutionRedriven; the Parallel itself is not entered again.
  const redrivenId = added[0].id;
  expect(entered.filter((e) => e.previousEventId === redrivenId)).toHaveLength(2);
  expect(types(added)).not.toContain('ParallelStateEntered');
  expect(types(added).slice(-3)).toEqual(['ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded']);
});

test('a Map that tolerated its failed iterations is not run again, only the state that failed after it', async () => {
  const definition = {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ToleratedFailureCount: 5,
        ItemProcessor: {
          StartAt: 'Call',
          States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } },
        },
        Next: 'Check',
      },
      Check: {
        Type: 'Choice',
        Choices: [{ Variable: '$[1].Error', IsPresent: true, Next: 'Broken' }],
        Default: 'Done',
      },
      Broken: { Type: 'Fail', Error: 'Broken' },
      Done: { Type: 'Succeed' },
    },
  };
  let down = true;
  const h = flaky((request) => down && (request.parameters as { count?: number }).count === 2);
  const input = [{ count: 1 }, { count: 2 }, { count: 3 }];
  const execution = h.start(definition, input);
  expect((await runToEnd(h, execution)).error).toBe('Broken');
  down = false;
  h.requests.length = 0;
  const redriven = h.engine.redrive(h.options(definition, input), [...execution.events]);
  const done = await runToEnd(h, redriven);
  // The Map had exited (its failures were tolerated): it is not run again. Only the Fail state is.
  expect(done.status).toBe('FAILED');
  expect(h.requests).toEqual([]);
  expect(types(redriven.events.slice(execution.events.length))).toEqual([
    'ExecutionRedriven',
    'FailStateEntered',
    'ExecutionFailed',
  ]);
});

test('a Map whose iteration failed runs that iteration again, the others keep their results', async () => {
  const definition = {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemProcessor: {
          StartAt: 'Call',
          States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } },
        },
        End: true,
      },
    },
  };
  let down = true;
  const h = flaky((request) => down && (request.parameters as { count?: number }).count === 2);
  const input = [{ count: 1 }, { count: 2 }, { count: 3 }];
  const execution = h.start(definition, input);
  expect((await runToEnd(h, execution)).status).toBe('FAILED');
  down = false;
  const invokedBefore = h.requests.length;
  const redriven = h.engine.redrive(h.options(definition, input), [...execution.events]);
  const done = await runToEnd(h, redriven);
  expect(done.status).toBe('SUCCEEDED');
  expect(done.output).toEqual(input);
  const again = h.requests.slice(invokedBefore).map((r) => r.parameters);
  expect(again).toContainEqual({ count: 2 });
  expect(again).not.toContainEqual({ count: 1 });
  expect(types(redriven.events.slice(execution.events.length))).not.toContain('MapStateEntered');
});

test('a Parallel whose Catch took a branch failure is replayed as it was; only the state that failed after it runs', async () => {
  const definition = {
    StartAt: 'Both',
    States: {
      Both: {
        Type: 'Parallel',
        Branches: [
          {
            StartAt: 'Bad',
            States: {
              Bad: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { count: 1 }, End: true },
            },
          },
        ],
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.caught', Next: 'Then' }],
        Next: 'Then',
      },
      Then: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { count: 2 }, End: true },
    },
  };
  let down = true;
  const h = flaky(() => down);
  const execution = h.start(definition, {});
  expect((await runToEnd(h, execution)).status).toBe('FAILED');
  down = false;
  h.requests.length = 0;
  const redriven = h.engine.redrive(h.options(definition, {}), [...execution.events]);
  expect((await runToEnd(h, redriven)).status).toBe('SUCCEEDED');
  // The branch's failure was caught: Bad is not invoked again, only Then.
  expect(h.requests.map((r) => r.parameters)).toEqual([{ count: 2 }]);
});

test("a timed-out execution's interrupted Wait runs again, and its TimeoutSeconds counts from the redrive", async () => {
  const definition = {
    TimeoutSeconds: 10,
    StartAt: 'Pause',
    States: { Pause: { Type: 'Wait', Seconds: 8, Next: 'More' }, More: { Type: 'Wait', Seconds: 8, End: true } },
  };
  const h = harness();
  const execution = h.start(definition, {});
  expect(await runToEnd(h, execution)).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  const redriven = h.engine.redrive(h.options(definition, {}), [...execution.events]);
  const info = await runToEnd(h, redriven);
  // More (interrupted) waits its 8 s afresh, within the 10 s counted from the redrive.
  expect(info.status).toBe('SUCCEEDED');
  const added = types(redriven.events.slice(execution.events.length));
  expect(added).toEqual(['ExecutionRedriven', 'WaitStateEntered', 'WaitStateExited', 'ExecutionSucceeded']);
  expect(info.stopDate! - info.redriveDate!).toBe(8000);
});

test('an aborted execution waiting for a callback runs its task again with a new token', async () => {
  const definition = {
    StartAt: 'Wait',
    States: {
      Wait: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { 'token.$': '$$.Task.Token' },
        End: true,
      },
    },
  };
  const h = harness(() => ({ ok: true, output: {} }));
  const execution = h.start(definition, {});
  await flush();
  const firstToken = h.requests[0].taskToken!;
  h.engine.stop(execution.info.executionArn, 'Stopped', 'by hand');
  expect((await execution.done).status).toBe('ABORTED');
  const redriven = h.engine.redrive(h.options(definition, {}), [...execution.events]);
  await flush();
  expect(h.requests).toHaveLength(2);
  const secondToken = h.requests[1].taskToken!;
  expect(secondToken).not.toBe(firstToken);
  expect(() => h.engine.sendTaskSuccess(firstToken, {})).toThrow();
  h.engine.sendTaskSuccess(secondToken, { ok: true });
  expect((await redriven.done).status).toBe('SUCCEEDED');
});

test('a redriven execution can be redriven again; the count and ids go on', async () => {
  const definition = { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'E' } } };
  const h = harness();
  const first = h.start(definition, {});
  await first.done;
  const second = h.engine.redrive(h.options(definition, {}), [...first.events]);
  await second.done;
  const third = h.engine.redrive(h.options(definition, {}), [...second.events]);
  const info = await third.done;
  expect(info.redriveCount).toBe(2);
  expect(third.events.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
    [1, 0, 'ExecutionStarted'],
    [2, 0, 'FailStateEntered'],
    [3, 2, 'ExecutionFailed'],
    [4, 3, 'ExecutionRedriven'],
    [5, 4, 'FailStateEntered'],
    [6, 5, 'ExecutionFailed'],
    [7, 6, 'ExecutionRedriven'],
    [8, 7, 'FailStateEntered'],
    [9, 8, 'ExecutionFailed'],
  ]);
  expect(third.events[6].executionRedrivenEventDetails).toEqual({ redriveCount: 2 });
});

test('a redriven execution resumed after a restart keeps both attempts and goes on', async () => {
  const definition = {
    StartAt: 'Boom',
    States: {
      Boom: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { 'token.$': '$$.Task.Token' },
        Next: 'After',
      },
      After: { Type: 'Pass', End: true },
    },
  };
  let fail = true;
  const h = harness(() => (fail ? { ok: false, error: 'E', cause: 'c' } : { ok: true, output: {} }));
  const first = h.start(definition, {});
  await first.done;
  fail = false;
  const redriven = h.engine.redrive(h.options(definition, {}), [...first.events]);
  await flush();
  const recorded = [...redriven.events];
  const token = h.requests.at(-1)!.taskToken!;
  h.engine.stop(redriven.info.executionArn); // the process dies while the redriven task waits
  const persisted: HistoryEvent[] = [];
  const engine = new Engine({
    clock: h.clock,
    integrations: { invoke: async () => ({ ok: true, output: {} }) },
    onEvent: (_, event) => persisted.push(event),
  });
  const resumed = engine.resume(h.options(definition, {}), recorded);
  await flush();
  expect(resumed.info.status).toBe('RUNNING');
  expect(resumed.info.redriveCount).toBe(1);
  engine.sendTaskSuccess(token, { done: true });
  expect((await resumed.done).status).toBe('SUCCEEDED');
  expect(persisted.map((e) => [e.id, e.type])).toEqual([
    [recorded.length + 1, 'TaskSucceeded'],
    [recorded.length + 2, 'TaskStateExited'],
    [recorded.length + 3, 'PassStateEntered'],
    [recorded.length + 4, 'PassStateExited'],
    [recorded.length + 5, 'ExecutionSucceeded'],
  ]);
});

describe('which executions can be redriven', () => {
  const definition = { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'E' } } };

  test('RUNNING and SUCCEEDED ones cannot, with AWS reasons', async () => {
    const h = harness();
    const ok = h.start({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, {});
    await ok.done;
    expect(() => h.engine.redrive(h.options(definition, {}), [...ok.events])).toThrow(
      new ExecutionError('ExecutionNotRedrivable', 'Execution is SUCCEEDED and cannot be redriven'),
    );
    expect(redriveVerdict(ok.events.slice(0, 2), 'STANDARD', h.clock.now())).toEqual({
      redrivable: false,
      reason: 'Execution is RUNNING and cannot be redriven',
    });
  });

  test('14 days after it stopped, by the engine clock, it cannot', async () => {
    const h = harness();
    const failed = h.start(definition, {});
    await failed.done;
    await h.clock.advance(REDRIVABLE_PERIOD_MS);
    expect(redriveVerdict(failed.events, 'STANDARD', h.clock.now())).toEqual({ redrivable: true });
    await h.clock.advance(1);
    expect(() => h.engine.redrive(h.options(definition, {}), [...failed.events])).toThrow(
      'Execution redrivable period exceeded',
    );
  });

  test('EXPRESS executions, and histories at the event limit, cannot', async () => {
    const h = harness();
    const failed = h.start(definition, {});
    await failed.done;
    expect(redriveVerdict(failed.events, 'EXPRESS', h.clock.now())).toMatchObject({ redrivable: false });
    const full = failed.events.map((e) => ({ ...e }));
    full[full.length - 1].id = 24_999;
    expect(redriveVerdict(full, 'STANDARD', h.clock.now())).toEqual({
      redrivable: false,
      reason: 'Execution history event limit exceeded',
    });
  });
});
