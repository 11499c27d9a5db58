/**
 * Time for the engine. The engine never reads Date.now() nor calls setTimeout: every Wait, retry back-off,
 * heartbeat and timeout goes through an injected Clock, so tests and the host can move time at will.
 */
export interface Clock {
  /** epoch ms */
  now(): number;
  /** Resolves when the clock reaches epochMs; rejects with the signal's reason when aborted first. */
  sleepUntil(epochMs: number, signal: AbortSignal): Promise<void>;
  /**
   * Asked before each state the engine runs: undefined to go on at once, or a promise to await first while the host
   * has a turn (its I/O and timers: a server's requests), so that an execution running state after state without
   * waiting for anything never starves its host (time/host-turns.ts). Optional: without it the engine never yields.
   */
  pace?(): Promise<void> | undefined;
  /**
   * Calls `reached` when the clock reaches epochMs, unless the returned cancel is called first. Optional: a cheaper
   * sleepUntil (no promise, no abort listener) for a deadline that is nearly always cancelled: every execution's
   * time limit (AWS's 5 minutes or a year). Without it the engine sleeps on sleepUntil.
   */
  deadline?(epochMs: number, reached: () => void): () => void;
}

/** What a sleep rejects with when its signal aborts. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}
