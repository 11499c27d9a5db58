/** Fail (states/fail.ts): ErrorPath/CausePath and JSONata Error/Cause. */
import { harness, runToEnd } from '../../src/testing/harness';

async function run(definition: object, input: unknown = {}) {
  const h = harness();
  const execution = h.start(definition, input);
  return { info: await runToEnd(h, execution), events: execution.events };
}

describe('Fail', () => {
  test('Fail with ErrorPath/CausePath', async () => {
    const { info, events } = await run(
      { StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: '$.e', CausePath: '$.c' } } },
      { e: 'Boom', c: 'because' },
    );
    expect(info).toMatchObject({ status: 'FAILED', error: 'Boom', cause: 'because' });
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
  });

  test.each(['ErrorPath', 'CausePath'])(
    'a %s that selects nothing is worded in its own field, with the input (as AWS records it)',
    async (field) => {
      const { info } = await run({ StartAt: 'F', States: { F: { Type: 'Fail', [field]: '$.missing' } } }, { a: 1 });
      expect(info).toMatchObject({
        status: 'FAILED',
        error: 'States.Runtime',
        cause: `An error occurred while executing the state 'F' (entered at the event id #2). The JSONPath '$.missing' specified for the field '${field}' could not be found in the input '{"a":1}'`,
      });
    },
  );

  test('JSONata Fail expressions', async () => {
    const { info } = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'F',
        States: { F: { Type: 'Fail', Error: "{% 'E' & $states.input.n %}", Cause: 'literal' } },
      },
      { n: 1 },
    );
    expect(info).toMatchObject({ error: 'E1', cause: 'literal' });
  });
});
