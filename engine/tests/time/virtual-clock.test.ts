/** VirtualClock (time/virtual-clock.ts). */
import { VirtualClock } from '../../src/time/virtual-clock';

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

test('VirtualClock.deadline fires among the sleeps in time order, and a cancelled one leaves no timer', async () => {
  const clock = new VirtualClock(0);
  const fired: string[] = [];
  void clock.sleepUntil(2000, new AbortController().signal).then(() => fired.push(`sleep@${clock.now()}`));
  clock.deadline(1000, () => fired.push(`deadline@${clock.now()}`));
  const cancel = clock.deadline(1500, () => fired.push('cancelled'));
  expect(clock.pendingTimers).toBe(3);
  cancel();
  expect(clock.pendingTimers).toBe(2);
  await clock.advance(5000);
  expect(fired).toEqual(['deadline@1000', 'sleep@2000']);
  expect(clock.pendingTimers).toBe(0);
});
