/** Pass, Choice, Succeed and Fail in both query languages. */
import { harness, runToEnd } from '../src/testing/harness';

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
    expect(info.cause).toBe("An error occurred while executing the state 'P' (entered at the event id #2). Invalid path '$.nope' : No results for path: $['nope']");
  });

  test('a missing Parameters path names the field and the input', async () => {
    const { info } = await run({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'x.$': '$.a.b' }, End: true } } }, { a: {} });
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

describe('Choice', () => {
  const definition = {
    StartAt: 'C',
    States: {
      C: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.n', NumericGreaterThan: 10, Next: 'Big' },
          { And: [{ Variable: '$.s', IsPresent: true }, { Variable: '$.s', StringMatches: 'a*z' }], Next: 'Word' },
          { Not: { Variable: '$.t', TimestampLessThan: '2020-01-01T00:00:00Z' }, Next: 'Late' },
        ],
        Default: 'Other',
      },
      Big: { Type: 'Pass', Result: 'big', End: true },
      Word: { Type: 'Pass', Result: 'word', End: true },
      Late: { Type: 'Pass', Result: 'late', End: true },
      Other: { Type: 'Pass', Result: 'other', End: true },
    },
  };
  test.each([
    [{ n: 11, t: '2010-01-01T00:00:00Z' }, 'big'],
    [{ n: 1, s: 'abcz', t: '2010-01-01T00:00:00Z' }, 'word'],
    [{ n: 1, t: '2021-06-01T00:00:00+02:00' }, 'late'],
    [{ n: 1, t: '2010-01-01T00:00:00Z' }, 'other'],
  ])('%j goes to %s', async (input, expected) => {
    const { info } = await run(definition, input);
    expect(info.output).toBe(expected);
  });

  test('no match and no Default fails with States.Runtime, as AWS records it (not States.NoChoiceMatched)', async () => {
    const { info } = await run({
      StartAt: 'C',
      States: { C: { Type: 'Choice', Choices: [{ Variable: '$.x', BooleanEquals: true, Next: 'E' }] }, E: { Type: 'Succeed' } },
    }, { x: false });
    expect(info.status).toBe('FAILED');
    expect(info.error).toBe('States.Runtime');
    expect(info.cause).toBe(
      "An error occurred while executing the state 'C' (entered at the event id #2). Failed to transition out of the state. The state does not point to a next state.",
    );
  });

  test('JSONata Condition must be a boolean', async () => {
    const { info } = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: { C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.x %}', Next: 'E' }], Default: 'E' }, E: { Type: 'Succeed' } },
    }, { x: 'yes' });
    expect(info.error).toBe('States.QueryEvaluationError');
    expect(info.cause).toContain("Expected 'boolean', but was 'string'");
  });
});

describe('Succeed and Fail', () => {
  test('Fail with ErrorPath/CausePath', async () => {
    const { info, events } = await run(
      { StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: '$.e', CausePath: '$.c' } } },
      { e: 'Boom', c: 'because' },
    );
    expect(info).toMatchObject({ status: 'FAILED', error: 'Boom', cause: 'because' });
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
  });

  test('JSONata Fail expressions', async () => {
    const { info } = await run(
      { QueryLanguage: 'JSONata', StartAt: 'F', States: { F: { Type: 'Fail', Error: "{% 'E' & $states.input.n %}", Cause: 'literal' } } },
      { n: 1 },
    );
    expect(info).toMatchObject({ error: 'E1', cause: 'literal' });
  });

  test('Succeed with OutputPath', async () => {
    const { info } = await run({ StartAt: 'S', States: { S: { Type: 'Succeed', OutputPath: '$.a' } } }, { a: [1] });
    expect(info.output).toEqual([1]);
  });
});

describe('payload limit', () => {
  test('a state output over 256 KiB fails with States.DataLimitExceeded, uncatchable', async () => {
    const { info } = await run({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 'x'.repeat(262_144), End: true } } });
    expect(info.error).toBe('States.DataLimitExceeded');
    expect(info.cause).toBe("The state/task 'P' returned a result with a size exceeding the maximum number of bytes service limit.");
  });
});
