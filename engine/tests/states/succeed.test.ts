/** Succeed (states/succeed.ts). */
import { harness, runToEnd } from '../../src/testing/harness';

async function run(definition: object, input: unknown = {}) {
  const h = harness();
  const execution = h.start(definition, input);
  return { info: await runToEnd(h, execution), events: execution.events };
}

describe('Succeed', () => {
  test('Succeed with OutputPath', async () => {
    const { info } = await run({ StartAt: 'S', States: { S: { Type: 'Succeed', OutputPath: '$.a' } } }, { a: [1] });
    expect(info.output).toEqual([1]);
  });
});
