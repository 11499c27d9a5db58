/** Pass (states/pass.ts) in both query languages. */
import { harness, runToEnd } from '../../src/testing/harness';

async function run(definition: object, input: unknown = {}) {
  const h = harness();
  const execution = h.start(definition, input);
  return { info: await runToEnd(h, execution), events: execution.events };
}

describe('Pass', () => {
  test('InputPath, Parameters with paths and the context object, ResultPath, OutputPath', async () => {
    const { info } = await run(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Pass',
            InputPath: '$.order',
            Parameters: { 'id.$': '$.id', 'execution.$': '$$.Execution.Name', fixed: 'x', 'state.$': '$$.State.Name' },
            ResultPath: '$.copy',
            OutputPath: '$.copy',
            End: true,
          },
        },
      },
      { order: { id: 7 } },
    );
    expect(info.status).toBe('SUCCEEDED');
    expect(info.output).toEqual({ id: 7, execution: 'exec-1', fixed: 'x', state: 'P' });
  });

  test('Result with ResultPath merges into the raw input; ResultPath null keeps the input', async () => {
    const { info } = await run(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Result: { b: 2 }, ResultPath: '$.r', Next: 'B' },
          B: { Type: 'Pass', Result: 'ignored', ResultPath: null, End: true },
        },
      },
      { a: 1 },
    );
    expect(info.output).toEqual({ a: 1, r: { b: 2 } });
  });

  test('a missing OutputPath is a States.Runtime failure with Jayway-style text', async () => {
    const { info } = await run({ StartAt: 'P', States: { P: { Type: 'Pass', OutputPath: '$.nope', End: true } } });
    expect(info.status).toBe('FAILED');
    expect(info.error).toBe('States.Runtime');
    expect(info.cause).toBe(
      "An error occurred while executing the state 'P' (entered at the event id #2). Invalid path '$.nope' : No results for path: $['nope']",
    );
  });

  test('a missing Parameters path names the field and the input', async () => {
    const { info } = await run(
      { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'x.$': '$.a.b' }, End: true } } },
      { a: {} },
    );
    expect(info.cause).toBe(
      "An error occurred while executing the state 'P' (entered at the event id #2). The JSONPath '$.a.b' specified for the field 'x.$' could not be found in the input '{\"a\":{}}'",
    );
  });

  test('JSONata Output with $states.input and variables', async () => {
    const { info } = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Assign: { n: '{% $states.input.n * 2 %}' }, Next: 'B' },
          B: { Type: 'Pass', Output: { total: '{% $n + 1 %}', name: '{% $states.context.State.Name %}' }, End: true },
        },
      },
      { n: 5 },
    );
    expect(info.output).toEqual({ total: 11, name: 'B' });
  });
});
