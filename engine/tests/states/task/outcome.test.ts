/**
 * An integration's outcome, checked (states/task/outcome.ts): a broken contract fails the task with
 * States.TaskFailed.
 */
import { harness, runToEnd, types } from '../../../src/testing/harness';

const TASK = 'arn:aws:states:::lambda:invoke';
const task = { StartAt: 'T', States: { T: { Type: 'Task', Resource: TASK, End: true } } };

describe('an integration that breaks its contract fails the task with States.TaskFailed', () => {
  test.each([
    [
      'throws a string',
      () => {
        throw 'boom';
      },
      'boom',
    ],
    [
      'throws null',
      () => {
        throw null;
      },
      'null',
    ],
    [
      'throws an object whose message getter throws',
      () => {
        throw {
          get message(): string {
            throw new Error('x');
          },
        };
      },
      'The integration threw a value that cannot be described',
    ],
    [
      'answers undefined',
      () => undefined,
      'The integration answered undefined instead of { ok: true, output } or { ok: false, error, cause }',
    ],
    [
      'answers a string',
      () => 'ok',
      'The integration answered ok instead of { ok: true, output } or { ok: false, error, cause }',
    ],
    [
      'returns a BigInt',
      () => ({ ok: true, output: { n: 1n } }),
      "The task's result is not JSON: Do not know how to serialize a BigInt",
    ],
    [
      'returns a cycle',
      () => {
        const o: Record<string, unknown> = {};
        o.o = o;
        return { ok: true, output: o };
      },
      "The task's result is not JSON: Converting circular structure to JSON",
    ],
    [
      'returns a function',
      () => ({ ok: true, output: () => 1 }),
      "The task's result is not JSON: a function has no JSON form",
    ],
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
