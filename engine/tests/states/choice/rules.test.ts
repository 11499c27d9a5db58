/**
 * JSONPath Choice rules (states/choice/rules.ts): AWS's texts when a rule's path selects nothing
 * (engine/tests/conformance/cases-extra).
 */
import { harness, runToEnd } from '../../../src/testing/harness';

async function run(definition: object, input: unknown = {}) {
  const h = harness();
  return runToEnd(h, h.start(definition, input));
}

describe('Choice rules', () => {
  const choice = (rule: object, input: unknown) =>
    run(
      {
        StartAt: 'Check',
        States: {
          Check: { Type: 'Choice', Choices: [{ ...rule, Next: 'Done' }], Default: 'Done' },
          Done: { Type: 'Succeed' },
        },
      },
      input,
    );
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
