/**
 * How a failure travels through the interpreter. A `StatesError` thrown while a state evaluates its fields is an
 * evaluation error: AWS prefixes its cause with the state and its entered-event id. A `Failure` is an error that
 * already has its final form: a task's error, a Fail state, a branch's failure, a timeout.
 */
import { StatesError } from '../errors/states-error';

export class Failure extends StatesError {
  constructor(
    error: string | undefined,
    cause: string | undefined,
    /** A timeout caused by a missed heartbeat (States.HeartbeatTimeout matches it in Retry/Catch). */
    readonly heartbeat = false,
  ) {
    super(error as string, cause);
    this.name = 'Failure';
  }
}

/**
 * A Parallel's or Map's failure (a branch's or iteration's, or its own JSONata evaluation error): AWS records the
 * state's *StateFailed after the event `after` (the failing branch's last event, MapRunFailed, EvaluationFailed)
 * only once no Retry takes the failure, and a retried attempt's events follow that event
 * (error-handling/with-error-handling.ts).
 */
export class ChildFailure extends Failure {
  constructor(
    readonly failure: Failure,
    readonly after: number,
  ) {
    super(failure.error, failure.cause, failure.heartbeat);
    this.name = 'ChildFailure';
  }
}

/** An evaluation error that names the field it came from (EvaluationFailed's `location`). */
export class FieldError extends StatesError {
  constructor(
    error: string,
    cause: string,
    readonly location: string,
  ) {
    super(error, cause);
    this.name = 'FieldError';
  }
}

/** Thrown inside an execution's coroutines once it has closed (stopped, timed out, failed elsewhere). */
export class ExecutionClosed extends Error {
  constructor() {
    super('execution closed');
    this.name = 'ExecutionClosed';
  }
}

/** One shared instance: it carries no per-execution data, and building an Error (its stack) per execution is costly. */
export const EXECUTION_CLOSED = new ExecutionClosed();

/** Thrown inside a Parallel branch or Map iteration whose sibling failed: the branch stops where it is. */
export class BranchAborted extends Error {
  constructor() {
    super('branch aborted');
    this.name = 'BranchAborted';
  }
}
