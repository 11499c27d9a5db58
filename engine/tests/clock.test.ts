/** The clocks: the virtual one moves only when told; the system one is real time plus an offset. */
import { SystemClock, VirtualClock } from '../src';

test('VirtualClock fires timers in time order as it advances, and abort cancels them', async () => {
  const clock = new VirtualClock(1000);
  const fired: number[] = [];
  const controller = new AbortController();
  void clock.sleepUntil(3000, new AbortController().signal).then(() => fired.push(clock.now()));
  void clock.sleepUntil(2000, new AbortController().signal).then(() => fired.push(clock.now()));
  const cancelled = clock.sleepUntil(2500, controller.signal).catch(() => 'aborted');
  controller.abort();
  expect(await cancelled).toBe('aborted');
  await clock.advance(5000);
  expect(fired).toEqual([2000, 3000]);
  expect(clock.now()).toBe(6000);
  expect(clock.nextTimerAt()).toBeUndefined();
  await expect(clock.sleepUntil(10, new AbortController().signal)).resolves.toBeUndefined();
});

test('SystemClock.advance moves now() and wakes timers that became due', async () => {
  const clock = new SystemClock();
  const before = clock.now();
  const woke = clock.sleepUntil(before + 3_600_000, new AbortController().signal);
  clock.advance(3_600_000);
  await woke;
  expect(clock.now() - before).toBeGreaterThanOrEqual(3_600_000);
});
