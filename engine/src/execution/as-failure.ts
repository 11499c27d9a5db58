/**
 * Evaluation errors become failures: AWS prefixes their cause with the state and its entered-event id, and in
 * JSONata states records an EvaluationFailed event, before they travel on as a Failure.
 */
import { isUncatchable } from '../errors/error-names';
import { statePrefix } from '../errors/state-prefix';
import { StatesError } from '../errors/states-error';
import { BranchAborted, ExecutionClosed, Failure, FieldError } from './failure';
import type { AnyStateRun } from './state-run';

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
      state.run.emit(state.frame, 'EvaluationFailed', details);
    }
    return new Failure(error.error, cause);
  }
  throw error;
}

/** Whether a Failure may be retried or caught at all. */
export function isCatchable(failure: Failure): boolean {
  return !isUncatchable(failure.error);
}
