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
