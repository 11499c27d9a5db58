/**
 * Domain errors. `name` is the contract's error name: Lambda reports it as `errorType`, Step Functions as the
 * state's error, and the API answers `{"error": name, "message": message}` with `statusCode`. It is set
 * explicitly (not taken from the class) because bundling may rename classes. The errors every function may answer
 * are here; each workflow's own are in ../hotel/errors.ts and ../plagiarism/errors.ts.
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

/**
 * An AWS service the function needs was throttled, unreachable or failing even after the SDK's own retries
 * (clients.ts names it). Nothing the caller did is wrong and trying again later can succeed: the API answers 503,
 * and the state machines retry it like Lambda's own transient errors.
 */
export class ServiceUnavailable extends DomainError {
  readonly name = 'ServiceUnavailable';
  readonly statusCode = 503;
}

/** A signed-in member of staff whose group the route does not admit (contract, "Staff sign-in"). */
export class Forbidden extends DomainError {
  readonly name = 'Forbidden';
  readonly statusCode = 403;
}
