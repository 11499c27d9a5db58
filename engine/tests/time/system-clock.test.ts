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

test('SystemClock.deadline calls back once time reaches it (moved by advance), and not at all once cancelled', async () => {
  const clock = new SystemClock();
  const now = clock.now();
  const reached: string[] = [];
  clock.deadline(now + 3_600_000, () => reached.push('hour'));
  const cancel = clock.deadline(now + 60_000, () => reached.push('minute'));
  cancel();
  clock.advance(3_600_000);
  expect(reached).toEqual(['hour']);
  // One already due is called back at once, after the caller goes on (a microtask), unless cancelled first.
  clock.deadline(now, () => reached.push('due'));
  clock.deadline(now, () => reached.push('never'))();
  expect(reached).toEqual(['hour']);
  await Promise.resolve();
  expect(reached).toEqual(['hour', 'due']);
});
