/**
 * Error and cause texts that AWS was recorded giving (tests/conformance/cases-extra), one test per behaviour.
 */
import { harness, runToEnd } from './helpers';

async function run(definition: object, input: unknown = {}) {
  const h = harness();
  return runToEnd(h, h.start(definition, input));
}

const jsonataPass = (output: unknown) => ({ QueryLanguage: 'JSONata', StartAt: 'Do', States: { Do: { Type: 'Pass', Output: output, End: true } } });
const PREFIX = "An error occurred while executing the state 'Do' (entered at the event id #2). ";

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
