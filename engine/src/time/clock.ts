/**
 * Time for the engine. The engine never reads Date.now() nor calls setTimeout: every Wait, retry back-off,
 * heartbeat and timeout goes through an injected Clock, so tests and the host can move time at will.
 */
export interface Clock {
  /** epoch ms */
  now(): number;
  /** Resolves when the clock reaches epochMs; rejects with the signal's reason when aborted first. */
  sleepUntil(epochMs: number, signal: AbortSignal): Promise<void>;
}

/** What a sleep rejects with when its signal aborts. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}
