/**
 * Retry and Catch under TestState: the state runs once. An error a retrier would retry (its count so far,
 * stateConfiguration.retrierRetryCount, below its MaxAttempts) ends the test RETRIABLE with the back-off it would
 * wait; otherwise the first matching catcher takes over (CAUGHT_ERROR), else the state fails. The inspection's
 * errorDetails name the retrier and catcher, as AWS's do.
 */
import type { ErrorHandlingFields, StateCommon } from '../asl/common';
import { attemptOnce, isCatchable } from '../execution/as-failure';
import type { StateRun, Transition } from '../execution/state-run';
import { RetriableFailure, type TestSession } from '../test-state/session';
import { caught } from './catch';
import { matches } from './matches';
import { retryDelayMs } from './retry';

export async function testStateErrorHandling(
  state: StateRun<StateCommon<string> & ErrorHandlingFields>,
  attempt: () => Promise<Transition>,
  session: TestSession,
): Promise<Transition> {
  const tried = await attemptOnce(state, attempt);
  if ('transition' in tried) return tried.transition;
  const { failure } = tried;
  if (!isCatchable(failure)) throw failure;
  const retriers = state.def.Retry ?? [];
  const retryIndex = retriers.findIndex((retrier) => matches(retrier.ErrorEquals, failure));
  if (retryIndex >= 0) {
    session.errorDetails.retryIndex = retryIndex;
    const retrier = retriers[retryIndex];
    if (session.retrierRetryCount < (retrier.MaxAttempts ?? 3)) {
      session.errorDetails.retryBackoffIntervalSeconds = retryDelayMs(retrier, session.retrierRetryCount) / 1000;
      throw new RetriableFailure(failure);
    }
  }
  const catchers = state.def.Catch ?? [];
  const catchIndex = catchers.findIndex((catcher) => matches(catcher.ErrorEquals, failure));
  if (catchIndex < 0) throw failure;
  session.errorDetails.catchIndex = catchIndex;
  session.caught = failure;
  return caught(state, catchers[catchIndex], failure);
}
