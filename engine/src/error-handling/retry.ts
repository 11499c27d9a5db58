/**
 * Retry: IntervalSeconds × BackoffRate^n, capped by MaxDelaySeconds; FULL jitter picks a random delay below that.
 * The back-off sleeps on the execution's clock.
 */
import type { Retrier } from '../asl/common';
import type { AnyStateRun } from '../execution/state-run';

/** The back-off before retry number `attempt` (0-based) of a retrier, in ms. */
export function retryDelayMs(retrier: Retrier, attempt: number, random: () => number = Math.random): number {
  const interval = retrier.IntervalSeconds ?? 1;
  const rate = retrier.BackoffRate ?? 2;
  let seconds = interval * rate ** attempt;
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') seconds = random() * seconds;
  return Math.round(seconds * 1000);
}

/** Waits before a retry; while replaying, only as long as the record says the retry had not happened yet. */
export async function backOff(state: AnyStateRun, delayMs: number): Promise<void> {
  const { run, frame } = state;
  const recorded = await run.recorded(frame);
  if (recorded) return;
  const failedAt = run.events[frame.lastEventId - 1]?.timestamp ?? run.now();
  await run.sleepUntil(failedAt + delayMs, frame.signal);
}
