/**
 * Error and cause texts that AWS was recorded giving (engine/tests/conformance/cases-extra), one test per behaviour.
 */
import { harness, runToEnd } from '../src/testing/harness';

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

describe('Choice rules', () => {
  const choice = (rule: object, input: unknown) =>
    run({ StartAt: 'Check', States: { Check: { Type: 'Choice', Choices: [{ ...rule, Next: 'Done' }], Default: 'Done' }, Done: { Type: 'Succeed' } } }, input);
  const invalid = (path: string) =>
    `An error occurred while executing the state 'Check' (entered at the event id #2). Invalid path '${path}': The choice state's condition path references an invalid value.`;

  it('fail with the Choice-specific text when the Variable selects nothing', async () => {
    const info = await choice({ Variable: '$.approved', BooleanEquals: true }, { status: 'PENDING' });
    expect([info.error, info.cause]).toEqual(['States.Runtime', invalid('$.approved')]);
  });

  it('fail with the same text when a *Path comparand selects nothing', async () => {
    const info = await choice({ Variable: '$.left', NumericEqualsPath: '$.right' }, { left: 7 });
    expect([info.error, info.cause]).toEqual(['States.Runtime', invalid('$.right')]);
  });

  it('fail the same way for a type test on a missing path', async () => {
    const info = await choice({ Variable: '$.missing', IsTimestamp: true }, {});
    expect([info.error, info.cause]).toEqual(['States.Runtime', invalid('$.missing')]);
  });
});
