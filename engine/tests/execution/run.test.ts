/** One execution's lifecycle (execution/run.ts): the machine-level TimeoutSeconds. */
import { flush, harness, types } from '../../src/testing/harness';

test('the machine-level TimeoutSeconds ends the execution TIMED_OUT', async () => {
  const h = harness();
  const execution = h.start({
    TimeoutSeconds: 5,
    StartAt: 'W',
    States: { W: { Type: 'Wait', Seconds: 60, End: true } },
  });
  await flush();
  await h.clock.advance(5000);
  const info = await execution.done;
  expect(info).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  expect(types(execution.events)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);
  expect(h.clock.pendingTimers).toBe(0);
});
