/** Leaving a state (execution/exit-state.ts): the output size limit and the assigned variables' record. */
import { harness, runToEnd } from '../../src/testing/harness';

async function run(definition: object, input: unknown = {}) {
  const h = harness();
  const execution = h.start(definition, input);
  return { info: await runToEnd(h, execution), events: execution.events };
}

describe('payload limit', () => {
  test('a state output over 256 KiB fails with States.DataLimitExceeded, uncatchable', async () => {
    const { info } = await run({
      StartAt: 'P',
      States: { P: { Type: 'Pass', Result: 'x'.repeat(262_144), End: true } },
    });
    expect(info.error).toBe('States.DataLimitExceeded');
    expect(info.cause).toBe(
      "The state/task 'P' returned a result with a size exceeding the maximum number of bytes service limit.",
    );
  });
});

test('StateExited records assignedVariables as JSON texts', async () => {
  const h = harness();
  const execution = h.start(
    { StartAt: 'A', States: { A: { Type: 'Pass', Assign: { s: 'text', 'n.$': '$.n' }, End: true } } },
    { n: 4 },
  );
  await runToEnd(h, execution);
  expect(execution.events[2].stateExitedEventDetails).toEqual({
    name: 'A',
    output: '{"n":4}',
    outputDetails: { truncated: false },
    assignedVariables: { s: '"text"', n: '4' },
    assignedVariablesDetails: { truncated: false },
  });
});
