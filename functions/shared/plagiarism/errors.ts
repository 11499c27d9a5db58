/** The plagiarism process's contract errors (a DomainError's name and status are what the caller is told). */
import { DomainError } from '../infrastructure/errors';

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
 * No workflow waits for this exam any more and it has no result: its execution was stopped (StopExecution), or it
 * ended without it (a workflow failure, a callback that did not come from the exam). Gone for good, like an expired
 * exam, but not because of the deadline.
 */
export class ExamClosed extends DomainError {
  readonly name = 'ExamClosed';
  readonly statusCode = 410;
}
