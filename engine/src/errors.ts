/**
 * A Step Functions runtime error: `name` is the ASL error name that Retry/Catch match on
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

/**
 * The errors of SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat, named like the Step Functions API's
 * (InvalidOutput: SendTaskSuccess's output has no JSON form; the task keeps waiting).
 */
export type TaskErrorName = 'InvalidToken' | 'TaskTimedOut' | 'TaskDoesNotExist' | 'InvalidOutput';
export class TaskError extends Error {
  declare name: TaskErrorName;
  constructor(name: TaskErrorName, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * Bad arguments to Engine.start / Engine.resume other than the definition (that is DefinitionError), named like
 * the Step Functions API's errors where it has one. Nothing was started when one is thrown.
 */
export type ExecutionErrorName = 'InvalidExecutionInput' | 'ExecutionAlreadyExists' | 'InvalidHistory';
export class ExecutionError extends Error {
  declare name: ExecutionErrorName;
  constructor(name: ExecutionErrorName, message: string) {
    super(message);
    this.name = name;
  }
}

/** AWS's reserved error names (https://states-language.net/#appendix-a-predefined-error-codes). */
export const ErrorNames = {
  ALL: 'States.ALL',
  Runtime: 'States.Runtime',
  Timeout: 'States.Timeout',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  TaskFailed: 'States.TaskFailed',
  DataLimitExceeded: 'States.DataLimitExceeded',
  QueryEvaluationError: 'States.QueryEvaluationError',
  NoChoiceMatched: 'States.NoChoiceMatched',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ParameterPathFailure: 'States.ParameterPathFailure',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  BranchFailed: 'States.BranchFailed',
} as const;

/** Errors that end the execution at once: no Retry or Catch can handle them. */
export function isUncatchable(error: string): boolean {
  return error === ErrorNames.Runtime || error === ErrorNames.DataLimitExceeded;
}

/** An evaluation error inside a state gets AWS's prefix naming the state and the id of its *StateEntered event. */
export function statePrefix(stateName: string, enteredEventId: number): string {
  return `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId}). `;
}
