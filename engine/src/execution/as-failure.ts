/**
 * Evaluation errors become failures: AWS prefixes their cause with the state and its entered-event id, and in
 * JSONata states records an EvaluationFailed event, before they travel on as a Failure.
 */
import { isUncatchable } from '../errors/error-names';
import { statePrefix } from '../errors/state-prefix';
import { StatesError } from '../errors/states-error';
import { BranchAborted, ChildFailure, ExecutionClosed, Failure, FieldError } from './failure';
import type { AnyStateRun, Transition } from './state-run';

/**
 * Turns anything a state threw into a Failure: evaluation errors get AWS's prefix (and, in JSONata states, an
 * EvaluationFailed event); Failures and a closed execution's unwinding pass through.
 */
export function asFailure(state: AnyStateRun, error: unknown): Failure | ExecutionClosed {
  if (error instanceof Failure || error instanceof ExecutionClosed) return error;
  if (error instanceof BranchAborted) throw error;
  if (error instanceof StatesError) {
    const cause = statePrefix(state.name, state.entered.id) + (error.cause ?? '');
    if (state.queryLanguage === 'JSONata' && error.error === 'States.QueryEvaluationError' && !state.run.closed) {
      const details: Record<string, unknown> = { error: error.error, cause, state: state.name };
      if (error instanceof FieldError) details.location = error.location;
      const evaluationFailed = state.run.emit(state.frame, 'EvaluationFailed', details, evaluationPredecessor(state));
      // A Map records MapStateFailed after it (AWS: EvaluationFailed 3←0, MapStateFailed 4←3).
      if (state.def.Type === 'Map') return new ChildFailure(new Failure(error.error, cause), evaluationFailed.id);
    }
    return new Failure(error.error, cause);
  }
  throw error;
}

/**
 * One try of a state's work under Retry and Catch: the transition it made, or the failure it ended with (a closed
 * execution's unwinding goes on up).
 */
export async function attemptOnce(
  state: AnyStateRun,
  attempt: () => Promise<Transition>,
): Promise<{ transition: Transition } | { failure: Failure }> {
  try {
    return { transition: await attempt() };
  } catch (error) {
    const failure = asFailure(state, error);
    if (failure instanceof ExecutionClosed) throw failure;
    return { failure };
  }
}

/**
 * The event EvaluationFailed follows, as AWS's histories have it: a Wait's follows its WaitStateEntered; any other
 * state's that failed before recording anything follows the event before its *StateEntered (Pass, Task and Map:
 * entered 2←0, EvaluationFailed 3←0); after events of its own, the state's latest one.
 */
function evaluationPredecessor(state: AnyStateRun): number | undefined {
  const { entered, frame } = state;
  return state.def.Type !== 'Wait' && frame.lastEventId === entered.id ? entered.previousEventId : undefined;
}

/** Whether a Failure may be retried or caught at all. */
export function isCatchable(failure: Failure): boolean {
  return !isUncatchable(failure.error);
}
