/**
 * A Step Functions runtime error: `error` is the ASL error name that Retry/Catch match on
 * (`States.Runtime`, `States.QueryEvaluationError`, a task's own error name, ...) and `cause` is AWS's cause text.
 */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    readonly cause?: string,
  ) {
    super(cause ?? error);
    this.name = 'StatesError';
  }
}
