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
