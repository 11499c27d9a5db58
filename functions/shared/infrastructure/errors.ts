/**
 * Domain errors. `name` is the contract's error name: Lambda reports it as `errorType`, Step Functions as the
 * state's error, and the API answers `{"error": name, "message": message}` with `statusCode`. It is set
 * explicitly (not taken from the class) because bundling may rename classes.
 */
export abstract class DomainError extends Error {
  abstract override readonly name: string;
  abstract readonly statusCode: number;
}

/** Bad input; the message names the field. */
export class ValidationError extends DomainError {
  readonly name = 'ValidationError';
  readonly statusCode = 400;
}

export class StudentExceededAllowableExamRetries extends DomainError {
  readonly name = 'StudentExceededAllowableExamRetries';
  readonly statusCode = 409;
}

export class IncidentNotFound extends DomainError {
  readonly name = 'IncidentNotFound';
  readonly statusCode = 404;
}

export class ExamNotFound extends DomainError {
  readonly name = 'ExamNotFound';
  readonly statusCode = 404;
}

/** The task token sent with an exam is not the one issued for it. */
export class InvalidExamToken extends DomainError {
  readonly name = 'InvalidToken';
  readonly statusCode = 403;
}

export class ExamAlreadySubmitted extends DomainError {
  readonly name = 'ExamAlreadySubmitted';
  readonly statusCode = 409;
}

/** The deadline passed, or the workflow already recorded the exam as not sat. */
export class ExamExpired extends DomainError {
  readonly name = 'ExamExpired';
  readonly statusCode = 410;
}

/**
 * An AWS service the function needs was throttled, unreachable or failing even after the SDK's own retries
 * (clients.ts names it). Nothing the caller did is wrong and trying again later can succeed: the API answers 503,
 * and the state machines retry it like Lambda's own transient errors.
 */
export class ServiceUnavailable extends DomainError {
  readonly name = 'ServiceUnavailable';
  readonly statusCode = 503;
}
