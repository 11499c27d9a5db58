/**
 * Retry and Catch for Task, Parallel and Map states. The first retrier whose ErrorEquals matches decides:
 * it retries while it has attempts left (IntervalSeconds × BackoffRate^n, capped by MaxDelaySeconds, FULL jitter
 * picks a random delay below that); then the first matching catcher takes over, else the state fails.
 */
import { ErrorNames } from './errors';
import { ExecutionClosed, Failure } from './failure';
import { asFailure, exitState, isCatchable, statesBinding, type StateRun, type Transition } from './interpreter';
import { applyResultPath, jsonataAssign, jsonataOutput, jsonPathAssign } from './io';

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  Output?: unknown;
  Assign?: unknown;
}

export function matches(errorEquals: readonly string[], failure: Failure): boolean {
  const error = failure.error;
  for (const name of errorEquals) {
    if (name === error || name === ErrorNames.ALL) return true;
    if (name === ErrorNames.TaskFailed && error !== ErrorNames.Timeout) return true;
    if (name === ErrorNames.HeartbeatTimeout && failure.heartbeat) return true;
  }
  return false;
}

/** The back-off before retry number `attempt` (0-based) of a retrier, in ms. */
export function retryDelayMs(retrier: Retrier, attempt: number, random: () => number = Math.random): number {
  const interval = retrier.IntervalSeconds ?? 1;
  const rate = retrier.BackoffRate ?? 2;
  let seconds = interval * Math.pow(rate, attempt);
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') seconds = random() * seconds;
  return Math.round(seconds * 1000);
}

/** The error output a catcher receives. */
export function errorOutput(failure: Failure): { Error: string | null; Cause: string | null } {
  return { Error: failure.error ?? null, Cause: failure.cause ?? null };
}

/**
 * Runs `attempt` under the state's Retry and Catch. `attempt` performs one try of the state's work and exits the
 * state on success; it throws on failure (evaluation errors included).
 */
export async function withErrorHandling(state: StateRun, attempt: () => Promise<Transition>): Promise<Transition> {
  const retriers: Retrier[] = state.def.Retry ?? [];
  const catchers: Catcher[] = state.def.Catch ?? [];
  const counts = retriers.map(() => 0);
  for (;;) {
    let failure: Failure;
    try {
      return await attempt();
    } catch (error) {
      const converted = asFailure(state, error);
      if (converted instanceof ExecutionClosed) throw converted;
      failure = converted;
    }
    if (!isCatchable(failure)) throw failure;
    const index = retriers.findIndex((r) => matches(r.ErrorEquals, failure));
    if (index >= 0 && counts[index] < (retriers[index].MaxAttempts ?? 3)) {
      const delay = retryDelayMs(retriers[index], counts[index]);
      counts[index]++;
      await backOff(state, delay);
      state.retryCount++;
      continue;
    }
    const catcher = catchers.find((c) => matches(c.ErrorEquals, failure));
    if (!catcher) throw failure;
    return caught(state, catcher, failure);
  }
}

/** Waits before a retry; while replaying, only as long as the record says the retry had not happened yet. */
async function backOff(state: StateRun, delayMs: number): Promise<void> {
  const { run, frame } = state;
  const recorded = await run.recorded(frame);
  if (recorded) return;
  const failedAt = run.events[frame.lastEventId - 1]?.timestamp ?? run.now();
  await run.sleepUntil(failedAt + delayMs, frame.signal);
}

async function caught(state: StateRun, catcher: Catcher, failure: Failure): Promise<Transition> {
  const errorValue = errorOutput(failure);
  if (state.queryLanguage === 'JSONata') {
    const binding = statesBinding(state, { errorOutput: errorValue });
    const assigned = await jsonataAssign(state, catcher.Assign, binding);
    const output = await jsonataOutput(state, catcher.Output, binding, errorValue);
    return exitState(state, output, assigned, catcher.Next);
  }
  const assigned = jsonPathAssign(state, catcher.Assign, errorValue);
  const output = applyResultPath(state, catcher.ResultPath, errorValue);
  return exitState(state, output, assigned, catcher.Next);
}
