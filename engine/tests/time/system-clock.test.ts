/** SystemClock (time/system-clock.ts). */
import { SystemClock } from '../../src/time/system-clock';

test('SystemClock.advance moves now() and wakes timers that became due', async () => {
  const clock = new SystemClock();
  const before = clock.now();
  const woke = clock.sleepUntil(before + 3_600_000, new AbortController().signal);
  clock.advance(3_600_000);
  await woke;
  expect(clock.now() - before).toBeGreaterThanOrEqual(3_600_000);
});
