/**
 * Bad arguments to Engine.start / Engine.resume other than the definition (that is DefinitionError), named like
 * the Step Functions API's errors where it has one. Nothing was started when one is thrown.
 */
export type ExecutionErrorName =
  | 'InvalidExecutionInput'
  | 'ExecutionAlreadyExists'
  | 'InvalidHistory'
  | 'ExecutionNotRedrivable';

export class ExecutionError extends Error {
  declare name: ExecutionErrorName;
  constructor(name: ExecutionErrorName, message: string) {
    super(message);
    this.name = name;
  }
}
