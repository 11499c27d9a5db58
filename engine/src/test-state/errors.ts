/** A TestState request AWS refuses: its error code (ValidationException, InvalidDefinition, ...) and message. */
export type TestStateErrorCode = 'ValidationException' | 'InvalidDefinition' | 'InvalidExecutionInput';

export class TestStateError extends Error {
  constructor(
    readonly code: TestStateErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TestStateError';
  }
}
