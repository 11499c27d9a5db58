/** Loading a definition (engine/load-machine.ts): an invalid one is refused before anything runs. */
import { harness } from '../../src/testing/harness';

test('an invalid definition is rejected with DefinitionError before anything runs', () => {
  const h = harness();
  expect(() => h.start({ StartAt: 'Missing', States: { P: { Type: 'Pass', End: true } } })).toThrow(
    expect.objectContaining({
      name: 'DefinitionError',
      message: expect.stringContaining('Invalid State Machine Definition'),
    }),
  );
  expect(h.events.size).toBe(0);
});
