/**
 * Local-only fault injection: the next N invocations of a function fail the way the Lambda service fails an
 * Invoke call (throttled, service error, no answer), before the function's code runs. It lets the definitions'
 * Retry clauses be proven against the real runtime (POST <sfn>/_local/faults, docs/ARCHITECTURE.md).
 */

/** The Invoke failures Step Functions names `Lambda.<Code>` and AWS recommends retrying (the definitions do). */
export const INJECTABLE_LAMBDA_ERRORS = {
  'Lambda.TooManyRequestsException': { code: 'TooManyRequestsException', statusCode: 429, message: 'Rate Exceeded.' },
  'Lambda.ServiceException': { code: 'ServiceException', statusCode: 500, message: 'The Lambda service encountered an internal error.' },
  'Lambda.AWSLambdaException': { code: 'AWSLambdaException', statusCode: 500, message: 'The Lambda service could not process the request.' },
  'Lambda.SdkClientException': { code: 'SdkClientException', statusCode: 500, message: 'Unable to execute HTTP request: Connect to lambda timed out' },
} as const;

export type InjectableLambdaError = keyof typeof INJECTABLE_LAMBDA_ERRORS;

export interface LambdaFault {
  /** The function's logical id. */
  function: string;
  error: InjectableLambdaError;
  /** Invocations still to fail. */
  remaining: number;
}

/** A request for a fault that cannot be armed (unknown function or error, bad count): nothing is armed. */
export class FaultRequestError extends Error {
  override readonly name = 'ValidationError';
}

const MAX_COUNT = 1000;

export class LambdaFaults {
  private readonly armed = new Map<string, LambdaFault>();

  /** `logicalIdOf` names a function by any name Invoke accepts, or undefined when there is no such function. */
  constructor(private readonly logicalIdOf: (functionName: string) => string | undefined) {}

  /** Arms a fault from an untrusted request body; replaces one already armed for that function. */
  inject(request: unknown): LambdaFault {
    const { function: name, error, count } = (request ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || name === '') throw new FaultRequestError('function must be a function name, logical id or ARN');
    const logicalId = this.logicalIdOf(name);
    if (!logicalId) throw new FaultRequestError(`function ${name} is not a function of the template`);
    if (typeof error !== 'string' || !Object.hasOwn(INJECTABLE_LAMBDA_ERRORS, error)) {
      throw new FaultRequestError(`error must be one of ${Object.keys(INJECTABLE_LAMBDA_ERRORS).join(', ')}`);
    }
    if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > MAX_COUNT) {
      throw new FaultRequestError(`count must be a whole number of invocations from 1 to ${MAX_COUNT}`);
    }
    const fault: LambdaFault = { function: logicalId, error: error as InjectableLambdaError, remaining: count as number };
    this.armed.set(logicalId, fault);
    return { ...fault };
  }

  /**
   * The Invoke failure the next invocation of this function gets instead of running, if one is armed (and
   * counts it down): its error code, HTTP status and message.
   */
  take(logicalId: string): (typeof INJECTABLE_LAMBDA_ERRORS)[InjectableLambdaError] | undefined {
    const fault = this.armed.get(logicalId);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.armed.delete(logicalId);
    return INJECTABLE_LAMBDA_ERRORS[fault.error];
  }

  /** Every fault still armed. */
  list(): LambdaFault[] {
    return [...this.armed.values()].map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.armed.clear();
  }
}
