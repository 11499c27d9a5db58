/** Choice (states/choice/choice.ts): rules, Default, no match, JSONata Condition. */
import { harness, runToEnd } from '../../../src/testing/harness';

async function run(definition: object, input: unknown = {}) {
  const h = harness();
  const execution = h.start(definition, input);
  return { info: await runToEnd(h, execution), events: execution.events };
}

describe('Choice', () => {
  const definition = {
    StartAt: 'C',
    States: {
      C: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.n', NumericGreaterThan: 10, Next: 'Big' },
          {
            And: [
              { Variable: '$.s', IsPresent: true },
              { Variable: '$.s', StringMatches: 'a*z' },
            ],
            Next: 'Word',
          },
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
    const { info } = await run(
      {
        StartAt: 'C',
        States: {
          C: { Type: 'Choice', Choices: [{ Variable: '$.x', BooleanEquals: true, Next: 'E' }] },
          E: { Type: 'Succeed' },
        },
      },
      { x: false },
    );
    expect(info.status).toBe('FAILED');
    expect(info.error).toBe('States.Runtime');
    expect(info.cause).toBe(
      "An error occurred while executing the state 'C' (entered at the event id #2). Failed to transition out of the state. The state does not point to a next state.",
    );
  });

  test('JSONata Condition must be a boolean', async () => {
    const { info } = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'C',
        States: {
          C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.x %}', Next: 'E' }], Default: 'E' },
          E: { Type: 'Succeed' },
        },
      },
      { x: 'yes' },
    );
    expect(info.error).toBe('States.QueryEvaluationError');
    expect(info.cause).toContain("Expected 'boolean', but was 'string'");
  });
});
