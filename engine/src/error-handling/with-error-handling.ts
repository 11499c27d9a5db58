/**
 * Retry and Catch for Task, Parallel and Map states. The first retrier whose ErrorEquals matches decides:
 * it retries while it has attempts left; then the first matching catcher takes over, else the state fails.
 */
import type { ErrorHandlingFields, StateCommon } from '../asl/common';
import { attemptOnce, isCatchable } from '../execution/as-failure';
import { ChildFailure, type Failure } from '../execution/failure';
import type { StateRun, Transition } from '../execution/state-run';
import { caught } from './catch';
import { matches } from './matches';
import { backOff, retryDelayMs } from './retry';
import { testStateErrorHandling } from './test-state-handling';

/**
 * Runs `attempt` under the state's Retry and Catch. `attempt` performs one try of the state's work and exits the
 * state on success; it throws on failure (evaluation errors included).
 */
export async function withErrorHandling(
  state: StateRun<StateCommon<string> & ErrorHandlingFields>,
  attempt: () => Promise<Transition>,
): Promise<Transition> {
  const session = state.run.testState;
  if (session) return testStateErrorHandling(state, attempt, session);
  const retriers = state.def.Retry ?? [];
  const catchers = state.def.Catch ?? [];
  const counts = retriers.map(() => 0);
  for (;;) {
    const tried = await attemptOnce(state, attempt);
    if ('transition' in tried) return tried.transition;
    const { failure } = tried;
    if (!isCatchable(failure)) throw settled(state, failure);
    const index = retriers.findIndex((r) => matches(r.ErrorEquals, failure));
    if (index >= 0 && counts[index] < (retriers[index].MaxAttempts ?? 3)) {
      const delay = retryDelayMs(retriers[index], counts[index]);
      counts[index]++;
      // A retried Parallel or Map records no *StateFailed: its next attempt follows the failing branch.
      if (failure instanceof ChildFailure) state.frame.lastEventId = failure.after;
      await backOff(state, delay);
      state.retryCount++;
      continue;
    }
    const catcher = catchers.find((c) => matches(c.ErrorEquals, failure));
    if (!catcher) throw settled(state, failure);
    return caught(state, catcher, settled(state, failure));
  }
}

/** A failure no Retry takes: a Parallel's or Map's records its *StateFailed now (AWS: before the Catch's exit). */
function settled(state: StateRun<StateCommon<string> & ErrorHandlingFields>, failure: Failure): Failure {
  if (!(failure instanceof ChildFailure)) return failure;
  state.run.emit(state.frame, `${state.def.Type}StateFailed`, undefined, failure.after);
  return failure.failure;
}
