/**
 * The Step Functions API's client errors: the `__type` code, AWS's message text and the HTTP status.
 * Messages follow what AWS returns (docs/stepfunctions-local.md §2.2) so that code written against AWS,
 * which sometimes matches on them, behaves the same locally.
 */
export class SfnApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
    /** members the error shape has beside its message (TooManyTags' resourceName) */
    readonly members: Record<string, string> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export const invalidArn = (value: string) =>
  new SfnApiError('InvalidArn', `Invalid Arn: 'Invalid ARN prefix: ${value}'`);

export const resourceTypeNotValid = (resourceType: string) =>
  new SfnApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${resourceType}'`);

export const stateMachineDoesNotExist = (arn: string) =>
  new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);

export const stateMachineAlreadyExists = (arn: string) =>
  new SfnApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);

export const stateMachineTypeNotSupported = () =>
  new SfnApiError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');

export const executionDoesNotExist = (arn: string) =>
  new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);

export const executionAlreadyExists = (arn: string) =>
  new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);

export const invalidExecutionInput = (parserMessage: string) =>
  new SfnApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${parserMessage}'`);

export const invalidOutput = (parserMessage: string) =>
  new SfnApiError('InvalidOutput', `Invalid Output: '${parserMessage}'`);

export const invalidDefinition = (detail: string) =>
  new SfnApiError('InvalidDefinition', `Invalid State Machine Definition: '${detail}'`);

export const invalidName = (name: string, detail?: string) =>
  new SfnApiError('InvalidName', detail ?? `Invalid Name: '${name}'`);

export const invalidPaginationToken = () => new SfnApiError('InvalidToken', "Invalid Token: 'Invalid token'");

export const validationException = (message: string) => new SfnApiError('ValidationException', message);

/** The service model's status codes for these errors (ConflictException 409, ResourceNotFound 404, quota 402). */
export const conflict = (message: string) => new SfnApiError('ConflictException', message, 409);

export const resourceNotFound = (message: string) => new SfnApiError('ResourceNotFound', message, 404);

export const serviceQuotaExceeded = (message: string) => new SfnApiError('ServiceQuotaExceededException', message, 402);

export const tooManyTags = (resourceArn: string, limit: number) =>
  new SfnApiError('TooManyTags', `The number of tags on the resource would exceed the limit of ${limit}`, 400, {
    resourceName: resourceArn,
  });

export const activityDoesNotExist = (arn: string) =>
  new SfnApiError('ActivityDoesNotExist', `Activity Does Not Exist: '${arn}'`);

export const activityAlreadyExists = (arn: string) =>
  new SfnApiError('ActivityAlreadyExists', `Activity Already Exists: '${arn}'`);

export const invalidLoggingConfiguration = (detail: string) =>
  new SfnApiError('InvalidLoggingConfiguration', `Invalid Logging Configuration: ${detail}`);

/** RedriveExecution refused: AWS's redriveStatusReason for the execution (what DescribeExecution says of it). */
export const executionNotRedrivable = (reason: string) => new SfnApiError('ExecutionNotRedrivable', reason);
