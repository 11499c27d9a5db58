/**
 * Rebuilding executions from their history (execution/replay.ts): a host persists events through onEvent,
 * "crashes" (a new engine), and resumes; waiting tokens work again, timers keep their recorded deadlines, finished
 * work is not redone.
 */
import { Engine, type VirtualClock, type HistoryEvent, type TaskRequest } from '../../src';
import { flush, harness, START_MS, types } from '../../src/testing/harness';

const plagiarismLike = {
  StartAt: 'Register',
  States: {
    Register: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Parameters: { 'id.$': '$.id' },
      ResultPath: null,
      Next: 'Stamp',
    },
    Stamp: { Type: 'Pass', Parameters: { 'uuid.$': 'States.UUID()', 'id.$': '$.id' }, Next: 'Notify' },
    Notify: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { 'token.$': '$$.Task.Token', 'uuid.$': '$.uuid' },
      TimeoutSeconds: 604800,
      ResultPath: '$.exam',
      Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'NotSat' }],
      Next: 'Done',
    },
    NotSat: { Type: 'Pass', Result: 'NOT_SAT', End: true },
    Done: { Type: 'Succeed' },
  },
};

/** A second engine over the same clock, as after a restart. */
function restarted(clock: VirtualClock, requests: TaskRequest[]) {
  const persisted: HistoryEvent[] = [];
  const engine = new Engine({
    clock,
    integrations: {
      invoke: async (request) => {
        requests.push(request);
        return { ok: true, output: {} };
      },
    },
    onEvent: (_, event) => persisted.push(event),
  });
  return { engine, persisted };
}

async function crashWhileWaiting() {
  const h = harness();
  const execution = h.start(plagiarismLike, { id: 'i1' });
  await flush();
  const recorded = [...h.events.get(execution.info.executionArn)!];
  expect(types(recorded).slice(-1)).toEqual(['TaskSubmitted']);
  const token = h.requests[1].taskToken!;
  h.engine.stop(execution.info.executionArn); // the old process is gone: its engine must not go on
  return { h, recorded, token, options: h.options(plagiarismLike, { id: 'i1' }) };
}

test('a token issued before the crash completes the resumed execution; nothing is invoked again', async () => {
  const { h, recorded, token, options } = await crashWhileWaiting();
  const requests: TaskRequest[] = [];
  const { engine, persisted } = restarted(h.clock, requests);
  const resumed = engine.resume(options, recorded);
  await flush();
  expect(resumed.info.status).toBe('RUNNING');
  expect(resumed.events).toEqual(recorded);
  expect(persisted).toEqual([]);
  engine.sendTaskSuccess(token, { Result: 'PASSED' });
  const info = await resumed.done;
  expect(info.status).toBe('SUCCEEDED');
  expect(info.output).toMatchObject({ id: 'i1', exam: { Result: 'PASSED' } });
  expect(requests).toEqual([]);
  // The history continues where it stopped: same ids, new events persisted once.
  expect(resumed.events.slice(0, recorded.length)).toEqual(recorded);
  expect(types(persisted)).toEqual([
    'TaskSucceeded',
    'TaskStateExited',
    'SucceedStateEntered',
    'SucceedStateExited',
    'ExecutionSucceeded',
  ]);
  expect(persisted[0].id).toBe(recorded.length + 1);
  expect(persisted[0].previousEventId).toBe(recorded.length);
  // Random values produced before the crash are the recorded ones.
  const stampExit = recorded.find(
    (e) => e.type === 'PassStateExited' && (e.stateExitedEventDetails as { name: string }).name === 'Stamp',
  )!;
  expect(info.output).toMatchObject(JSON.parse((stampExit.stateExitedEventDetails as { output: string }).output));
});

test('the task timeout keeps its recorded deadline after a resume', async () => {
  const { h, recorded, options } = await crashWhileWaiting();
  await h.clock.advance(600_000_000); // 6.9 days pass while the host is down
  const { engine } = restarted(h.clock, []);
  const resumed = engine.resume(options, recorded);
  await flush();
  expect(resumed.info.status).toBe('RUNNING');
  await h.clock.advance(604_800_000 - 600_000_000);
  const info = await resumed.done;
  expect(info.output).toBe('NOT_SAT');
  expect(info.stopDate! - START_MS).toBe(604_800_000);
});

test('a Wait resumed after its deadline passed ends at once; one not yet due waits the rest', async () => {
  const definition = {
    StartAt: 'W',
    States: { W: { Type: 'Wait', Seconds: 3600, Next: 'P' }, P: { Type: 'Pass', End: true } },
  };
  const h = harness();
  const execution = h.start(definition, { x: 1 });
  await flush();
  const recorded = [...execution.events];
  h.engine.stop(execution.info.executionArn);
  await h.clock.advance(1_000_000);
  const { engine } = restarted(h.clock, []);
  const resumed = engine.resume(h.options(definition, { x: 1 }), recorded);
  await flush();
  expect(resumed.info.status).toBe('RUNNING');
  await h.clock.advance(2_600_000);
  const info = await resumed.done;
  expect(info.output).toEqual({ x: 1 });
  expect(info.stopDate! - START_MS).toBe(3_600_000);
});

test('a resumed Parallel with callbacks in both branches replays their recorded order', async () => {
  const definition = {
    StartAt: 'Both',
    States: {
      Both: {
        Type: 'Parallel',
        Branches: ['A', 'B'].map((name) => ({
          StartAt: name,
          States: {
            [name]: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              Parameters: { 't.$': '$$.Task.Token' },
              End: true,
            },
          },
        })),
        End: true,
      },
    },
  };
  const h = harness();
  const execution = h.start(definition);
  await flush();
  const [a, b] = h.requests.map((r) => r.taskToken!);
  h.engine.sendTaskSuccess(b, 'b');
  await flush();
  const recorded = [...execution.events];
  h.engine.stop(execution.info.executionArn);
  const { engine } = restarted(h.clock, []);
  const resumed = engine.resume(h.options(definition), recorded);
  await flush();
  expect(() => engine.sendTaskSuccess(b, 'again')).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
  engine.sendTaskSuccess(a, 'a');
  const info = await resumed.done;
  expect(info.output).toEqual(['a', 'b']);
  expect(resumed.events.slice(0, recorded.length)).toEqual(recorded);
});

test('a history that does not fit the definition fails the execution with a clear cause', async () => {
  const h = harness();
  const execution = h.start({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 10, End: true } } });
  await flush();
  const recorded = [...execution.events];
  h.engine.stop(execution.info.executionArn);
  const { engine } = restarted(h.clock, []);
  const resumed = engine.resume(h.options({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }), recorded);
  const info = await resumed.done;
  expect(info.status).toBe('FAILED');
  expect(info.error).toBe('States.Runtime');
  expect(info.cause).toContain('could not be resumed from its history');
});
