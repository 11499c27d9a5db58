/** Waiting for a promise against a clock deadline and an abort signal, without leaking timers or listeners. */
import type { Clock } from './clock';

export const TIMED_OUT = Symbol('timed out');
/** A fixed reason: aborting without one would build a DOMException each time. */
const SETTLED = new Error('race settled');

export async function raceDeadline<T>(
  clock: Clock,
  promise: Promise<T>,
  deadline: number | undefined,
  signal: AbortSignal,
): Promise<T | typeof TIMED_OUT> {
  if (signal.aborted) throw signal.reason;
  const timerControl = deadline === undefined ? undefined : new AbortController();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const contenders: Array<Promise<T | typeof TIMED_OUT>> = [promise, aborted];
  if (timerControl) {
    contenders.push(
      clock.sleepUntil(deadline!, timerControl.signal).then(
        () => TIMED_OUT,
        () => new Promise<never>(() => undefined),
      ),
    );
  }
  try {
    return await Promise.race(contenders);
  } finally {
    timerControl?.abort(SETTLED);
    signal.removeEventListener('abort', onAbort!);
  }
}
