/**
 * JSONata evaluation (jsonata/evaluate.ts): the engine's clock, AWS's error texts (engine/tests/conformance/cases-
 * extra), the runaway guardrails.
 */
import { harness, runToEnd, START_MS, types } from '../../src/testing/harness';

async function run(definition: object, input: unknown = {}) {
  const h = harness();
  return runToEnd(h, h.start(definition, input));
}

const jsonataPass = (output: unknown) => ({
  QueryLanguage: 'JSONata',
  StartAt: 'Do',
  States: { Do: { Type: 'Pass', Output: output, End: true } },
});
const PREFIX = "An error occurred while executing the state 'Do' (entered at the event id #2). ";

test('JSONata $now() and $millis() read the engine clock', async () => {
  const h = harness();
  const info = await runToEnd(
    h,
    h.start({
      QueryLanguage: 'JSONata',
      StartAt: 'P',
      States: { P: { Type: 'Pass', Output: ['{% $now() %}', '{% $millis() %}'], End: true } },
    }),
  );
  expect(info.output).toEqual([new Date(START_MS).toISOString(), START_MS]);
});

describe('JSONata evaluation errors', () => {
  it('separate the expression from the JSONata code with a full stop, as AWS does', async () => {
    const info = await run(jsonataPass('{% $states.input.str + $states.input.num %}'), { str: 'hello', num: 5 });
    expect(info.error).toBe('States.QueryEvaluationError');
    expect(info.cause).toBe(
      `${PREFIX}The JSONata expression '$states.input.str + $states.input.num' specified for the field 'Output' threw an error during evaluation. ` +
        'T2001: The left side of the "+" operator must evaluate to a number',
    );
  });
});

describe('runaway JSONata', () => {
  afterEach(() => jest.restoreAllMocks());

  test('an endless recursion fails with States.QueryEvaluationError D1012 instead of hanging the host', async () => {
    // jsonata measures its evaluation time with Date.now(): make each reading a second later so the test is instant.
    let now = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => (now += 1000));
    const h = harness();
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'P',
      States: { P: { Type: 'Pass', Output: '{% ($f := function($x){ $f($x + 1) }; $f(0)) %}', End: true } },
    };
    const execution = h.start(definition);
    const info = await runToEnd(h, execution);
    expect(info.error).toBe('States.QueryEvaluationError');
    expect(info.cause).toMatch(/threw an error during evaluation\. D1012: Evaluation timeout after 5000 milliseconds/);
    expect(types(execution.events)).toContain('EvaluationFailed');
  });
});
