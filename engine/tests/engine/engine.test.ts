/**
 * The Engine (engine/engine.ts) refuses what is not JSON or not a history with a named error; SendTask* with odd
 * arguments never crash it.
 */
import { Engine, ExecutionError, TaskError, VirtualClock } from '../../src';
import { flush, harness, runToEnd } from '../../src/testing/harness';

const TASK = 'arn:aws:states:::lambda:invoke';
const task = { StartAt: 'T', States: { T: { Type: 'Task', Resource: TASK, End: true } } };
const pass = (extra: object = {}) => ({ StartAt: 'P', States: { P: { Type: 'Pass', End: true, ...extra } } });

describe('execution input that is not JSON', () => {
  test.each([
    ['a BigInt', { n: 1n }],
    [
      'a cycle',
      (() => {
        const o: Record<string, unknown> = {};
        o.self = o;
        return o;
      })(),
    ],
    ['a function', () => 1],
  ])('%s is rejected with InvalidExecutionInput and nothing starts', (_, input) => {
    const h = harness();
    expect(() => h.start(pass(), input)).toThrow(ExecutionError);
    expect(() => h.start(pass(), input)).toThrow(/^Invalid State Machine Execution Input: 'The input is not JSON: /);
    expect(h.engine.executions).toEqual([]);
    expect(h.events.size).toBe(0);
  });

  test('Dates, NaN and nested functions become their JSON form, the same the history records', async () => {
    const h = harness();
    const info = await runToEnd(h, h.start(pass(), { d: new Date(0), n: NaN, f: () => 1 }));
    expect(info.output).toEqual({ d: '1970-01-01T00:00:00.000Z', n: null });
    expect(info.input).toEqual({ d: '1970-01-01T00:00:00.000Z', n: null });
  });
});

describe('SendTaskSuccess with odd output', () => {
  const callback = {
    StartAt: 'T',
    States: {
      T: { Type: 'Task', Resource: `${TASK}.waitForTaskToken`, Parameters: { 'token.$': '$$.Task.Token' }, End: true },
    },
  };

  test('output that is not JSON is InvalidOutput and the task keeps waiting for a good answer', async () => {
    const h = harness(() => ({ ok: true, output: {} }));
    const execution = h.start(callback);
    await flush();
    const token = h.requests[0]!.taskToken!;
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => h.engine.sendTaskSuccess(token, cyclic)).toThrow(TaskError);
    expect(() => h.engine.sendTaskSuccess(token, { n: 1n })).toThrow(
      expect.objectContaining({ name: 'InvalidOutput' }),
    );
    expect(execution.info.status).toBe('RUNNING');
    h.engine.sendTaskSuccess(token, undefined);
    expect(await runToEnd(h, execution)).toMatchObject({ status: 'SUCCEEDED', output: null });
  });

  test('a heartbeat or answer for a finished execution is TaskTimedOut, not a crash', async () => {
    const h = harness(() => ({ ok: true, output: {} }));
    const execution = h.start(callback);
    await flush();
    const token = h.requests[0]!.taskToken!;
    h.engine.stop(execution.info.executionArn);
    expect((await execution.done).status).toBe('ABORTED');
    expect(() => h.engine.sendTaskHeartbeat(token)).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
    expect(() => h.engine.sendTaskSuccess(token, {})).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
  });

  test('sendTaskFailure with non-string error and cause records them as text', async () => {
    const h = harness(() => ({ ok: true, output: {} }));
    const execution = h.start(callback);
    await flush();
    h.engine.sendTaskFailure(h.requests[0]!.taskToken!, 42 as never, { a: 1 } as never);
    expect(await runToEnd(h, execution)).toMatchObject({ status: 'FAILED', error: '42', cause: '{"a":1}' });
  });
});

describe('resume with a history that is not one', () => {
  test.each([
    ['null', null],
    ['an empty list', []],
    ['a list of strings', ['ExecutionStarted']],
    [
      'events without ids in order',
      [
        { id: 1, previousEventId: 0, type: 'ExecutionStarted', timestamp: 0 },
        { id: 7, previousEventId: 1, type: 'PassStateEntered', timestamp: 0 },
      ],
    ],
    ['an event without a timestamp', [{ id: 1, previousEventId: 0, type: 'ExecutionStarted' }]],
  ])('%s is InvalidHistory and nothing starts', (_, events) => {
    const h = harness();
    expect(() => h.engine.resume(h.options(pass()), events as never)).toThrow(
      expect.objectContaining({ name: 'InvalidHistory' }),
    );
    expect(h.engine.executions).toEqual([]);
  });

  test("another definition's history fails the execution with States.Runtime", async () => {
    const h = harness();
    const first = h.start(task, {}, 'other');
    await runToEnd(h, first);
    const resumed = h.engine.resume(h.options(pass(), {}, 'other'), [...first.events]);
    const info = await runToEnd(h, resumed);
    expect(info).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(info.cause).toMatch(/^The execution could not be resumed from its history: /);
  });

  test('starting an execution that is running is ExecutionAlreadyExists', () => {
    const h = harness(() => new Promise(() => undefined));
    h.start(task);
    expect(() => h.start(task)).toThrow(expect.objectContaining({ name: 'ExecutionAlreadyExists' }));
  });
});

describe("fail: a host's own limit ends an execution", () => {
  test('FAILED with the host error and cause, from inside onEvent too: the event being emitted is the last before it', async () => {
    const loop = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'B' },
        B: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'C' }], Default: 'A' },
        C: { Type: 'Succeed' },
      },
    };
    const h = harness();
    const arn = h.options(loop).executionArn;
    const engine = new Engine({
      clock: new VirtualClock(),
      integrations: { invoke: async () => ({ ok: true, output: {} }) },
      // The host's limit: its 10th event is one too many.
      onEvent: (executionArn, event) => {
        if (event.id === 10) engine.fail(executionArn, 'Local.TooBig', 'the host says so');
      },
    });
    const execution = engine.start({ ...h.options(loop), type: 'EXPRESS' });
    const info = await execution.done;
    expect(info).toMatchObject({ status: 'FAILED', error: 'Local.TooBig', cause: 'the host says so' });
    expect(execution.events.map((event) => event.id)).toEqual(Array.from({ length: 11 }, (_, index) => index + 1));
    expect(execution.events[10]).toMatchObject({ type: 'ExecutionFailed', previousEventId: 10 });
    // A closed or unknown execution is left as it is.
    engine.fail(arn, 'Again');
    engine.fail('arn:aws:states:us-east-1:123456789012:execution:Test:nope', 'X');
    expect(execution.info.error).toBe('Local.TooBig');
  });
});
