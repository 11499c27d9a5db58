/** Wait (states/wait.ts) on the injected clock. */
import { flush, harness, runToEnd, START_MS, types } from '../../src/testing/harness';

test('Wait: Seconds, SecondsPath and TimestampPath run on the clock without sleeping', async () => {
  const h = harness();
  const execution = h.start(
    {
      StartAt: 'S',
      States: {
        S: { Type: 'Wait', Seconds: 10, Next: 'SP' },
        SP: { Type: 'Wait', SecondsPath: '$.s', Next: 'TP' },
        TP: { Type: 'Wait', TimestampPath: '$.t', End: true },
      },
    },
    { s: 20, t: new Date(START_MS + 3_600_000).toISOString() },
  );
  await flush();
  await h.clock.advance(10_000);
  expect(types(execution.events).filter((t) => t === 'WaitStateExited')).toHaveLength(1);
  await h.clock.advance(20_000);
  expect(types(execution.events).filter((t) => t === 'WaitStateExited')).toHaveLength(2);
  await h.clock.advance(3_600_000 - 30_000);
  const info = await execution.done;
  expect(info.stopDate).toBe(START_MS + 3_600_000);
});

test.each(['SecondsPath', 'TimestampPath'])('a %s that selects nothing is worded in its own field', async (field) => {
  const h = harness();
  const execution = h.start(
    { StartAt: 'W', States: { W: { Type: 'Wait', [field]: '$.input.missing', End: true } } },
    {},
  );
  expect(await runToEnd(h, execution)).toMatchObject({
    status: 'FAILED',
    error: 'States.Runtime',
    cause: `An error occurred while executing the state 'W' (entered at the event id #2). The ${field} parameter does not reference an input value: $.input.missing`,
  });
});
