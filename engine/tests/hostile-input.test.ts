/**
 * Hostile or odd input through the public API: every case ends in a named error (thrown synchronously, nothing
 * started) or a FAILED execution with a named error, never a raw TypeError, a crashed host or a hung event loop.
 */
import { ExecutionError, TaskError } from '../src';
import { flush, harness, runToEnd, types } from '../src/testing/harness';

const TASK = 'arn:aws:states:::lambda:invoke';
const task = { StartAt: 'T', States: { T: { Type: 'Task', Resource: TASK, End: true } } };
const pass = (extra: object = {}) => ({ StartAt: 'P', States: { P: { Type: 'Pass', End: true, ...extra } } });

describe('execution input that is not JSON', () => {
  test.each([
    ['a BigInt', { n: 1n }],
    ['a cycle', (() => { const o: Record<string, unknown> = {}; o.self = o; return o; })()],
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

describe('an integration that breaks its contract fails the task with States.TaskFailed', () => {
  test.each([
    ['throws a string', () => { throw 'boom'; }, 'boom'],
    ['throws null', () => { throw null; }, 'null'],
    ['throws an object whose message getter throws', () => { throw { get message(): string { throw new Error('x'); } }; }, 'The integration threw a value that cannot be described'],
    ['answers undefined', () => undefined, 'The integration answered undefined instead of { ok: true, output } or { ok: false, error, cause }'],
    ['answers a string', () => 'ok', 'The integration answered ok instead of { ok: true, output } or { ok: false, error, cause }'],
    ['returns a BigInt', () => ({ ok: true, output: { n: 1n } }), "The task's result is not JSON: Do not know how to serialize a BigInt"],
    ['returns a cycle', () => { const o: Record<string, unknown> = {}; o.o = o; return { ok: true, output: o }; }, "The task's result is not JSON: Converting circular structure to JSON"],
    ['returns a function', () => ({ ok: true, output: () => 1 }), "The task's result is not JSON: a function has no JSON form"],
  ])('%s', async (_, handler, cause) => {
    const h = harness(handler as never);
    const execution = h.start(task);
    const info = await runToEnd(h, execution);
    expect(info.status).toBe('FAILED');
    expect(info.error).toBe('States.TaskFailed');
    expect(info.cause).toBe(cause);
    expect(types(execution.events)).toContain('TaskFailed');
  });

  test('a failure with a non-string error and cause records them as text', async () => {
    const h = harness(() => ({ ok: false, error: 5, cause: { why: 'x' } }) as never);
    const info = await runToEnd(h, h.start(task));
    expect(info).toMatchObject({ status: 'FAILED', error: '5', cause: '{"why":"x"}' });
  });

  test("a result's non-JSON members are dropped before the next state sees them (as a resumed run would)", async () => {
    const h = harness(() => ({ ok: true, output: { keep: 1, f: () => 1, n: NaN } }));
    const info = await runToEnd(h, h.start(task));
    expect(info.output).toEqual({ keep: 1, n: null });
  });
});

describe('SendTaskSuccess with odd output', () => {
  const callback = { StartAt: 'T', States: { T: { Type: 'Task', Resource: `${TASK}.waitForTaskToken`, Parameters: { 'token.$': '$$.Task.Token' }, End: true } } };

  test('output that is not JSON is InvalidOutput and the task keeps waiting for a good answer', async () => {
    const h = harness(() => ({ ok: true, output: {} }));
    const execution = h.start(callback);
    await flush();
    const token = h.requests[0]!.taskToken!;
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => h.engine.sendTaskSuccess(token, cyclic)).toThrow(TaskError);
    expect(() => h.engine.sendTaskSuccess(token, { n: 1n })).toThrow(expect.objectContaining({ name: 'InvalidOutput' }));
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

describe("'__proto__', 'constructor' and 'toString' are ordinary names", () => {
  const parsed = (text: string) => JSON.parse(text) as object;

  test('as state names', async () => {
    const h = harness();
    const definition = parsed('{"StartAt":"__proto__","States":{"__proto__":{"Type":"Pass","Result":1,"Next":"constructor"},"constructor":{"Type":"Pass","Next":"toString"},"toString":{"Type":"Succeed"}}}');
    const execution = h.start(definition);
    expect(await runToEnd(h, execution)).toMatchObject({ status: 'SUCCEEDED', output: 1 });
    expect(execution.events.filter((e) => e.type === 'PassStateEntered').map((e) => (e.stateEnteredEventDetails as { name: string }).name)).toEqual(['__proto__', 'constructor']);
  });

  test('as Parameters keys, ResultPath segments and JSONata Output keys: own properties, no prototype change', async () => {
    const h = harness();
    const viaParameters = await runToEnd(h, h.start(parsed('{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"__proto__":{"polluted":1}},"End":true}}}'), {}, 'a'));
    expect(JSON.stringify(viaParameters.output)).toBe('{"__proto__":{"polluted":1}}');
    const viaResultPath = await runToEnd(h, h.start(pass({ Result: 1, ResultPath: '$.constructor.prototype.polluted' }), {}, 'b'));
    expect(JSON.stringify(viaResultPath.output)).toBe('{"constructor":{"prototype":{"polluted":1}}}');
    const viaJsonata = await runToEnd(h, h.start(parsed('{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":{"__proto__":"{% 1 %}"},"End":true}}}'), {}, 'c'));
    expect(JSON.stringify(viaJsonata.output)).toBe('{"__proto__":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('as variable names in JSONata', async () => {
    const h = harness();
    const definition = parsed('{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"__proto__":{"x":1},"constructor":5},"Next":"B"},"B":{"Type":"Pass","Output":"{% [$__proto__, $constructor] %}","End":true}}}');
    expect(await runToEnd(h, h.start(definition))).toMatchObject({ status: 'SUCCEEDED', output: [{ x: 1 }, 5] });
  });

  test('JSONPath reads of inherited members find nothing', async () => {
    const h = harness();
    const info = await runToEnd(h, h.start(pass({ Parameters: { 'r.$': '$.constructor' } })));
    expect(info.error).toBe('States.Runtime');
    expect(info.cause).toMatch(/The JSONPath '\$\.constructor' specified for the field 'r\.\$' could not be found/);
  });
});

describe('runaway JSONata', () => {
  afterEach(() => jest.restoreAllMocks());

  test('an endless recursion fails with States.QueryEvaluationError D1012 instead of hanging the host', async () => {
    // jsonata measures its evaluation time with Date.now(): make each reading a second later so the test is instant.
    let now = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => (now += 1000));
    const h = harness();
    const definition = { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% ($f := function($x){ $f($x + 1) }; $f(0)) %}', End: true } } };
    const execution = h.start(definition);
    const info = await runToEnd(h, execution);
    expect(info.error).toBe('States.QueryEvaluationError');
    expect(info.cause).toMatch(/threw an error during evaluation\. D1012: Evaluation timeout after 5000 milliseconds/);
    expect(types(execution.events)).toContain('EvaluationFailed');
  });

  test('$range beyond 1e7 items fails with a named error instead of exhausting memory', async () => {
    const h = harness();
    const definition = { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% $range(0, 1000000000, 1) %}', End: true } } };
    const info = await runToEnd(h, h.start(definition));
    expect(info.error).toBe('States.QueryEvaluationError');
    expect(info.cause).toMatch(/D3137: The size of the sequence allocated by \$range must not exceed 1e7/);
  });
});

describe('payload limits', () => {
  test('an input of exactly 256 KiB passes; one byte more fails with States.DataLimitExceeded', async () => {
    const h = harness();
    const exact = await runToEnd(h, h.start(pass(), 'x'.repeat(262_144 - 2), 'exact'));
    expect(exact.status).toBe('SUCCEEDED');
    const over = await runToEnd(h, h.start(pass(), `${'é'.repeat(131_071)}x`, 'over'));
    expect(over).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  });
});

describe('resume with a history that is not one', () => {
  test.each([
    ['null', null],
    ['an empty list', []],
    ['a list of strings', ['ExecutionStarted']],
    ['events without ids in order', [{ id: 1, previousEventId: 0, type: 'ExecutionStarted', timestamp: 0 }, { id: 7, previousEventId: 1, type: 'PassStateEntered', timestamp: 0 }]],
    ['an event without a timestamp', [{ id: 1, previousEventId: 0, type: 'ExecutionStarted' }]],
  ])('%s is InvalidHistory and nothing starts', (_, events) => {
    const h = harness();
    expect(() => h.engine.resume(h.options(pass()), events as never)).toThrow(expect.objectContaining({ name: 'InvalidHistory' }));
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
