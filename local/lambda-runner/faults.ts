/**
 * Local-only fault injection: the next N invocations of a function fail the way the Lambda service fails an
 * Invoke call (throttled, service error, no answer), either before the function's code runs or after it ran (the
 * work is done and only its answer is lost: Lambda's own transient error after the run, a dropped connection).
 * It lets the definitions' Retry clauses, and the functions' idempotency under them, be proven against the real
 * runtime (POST <sfn>/_local/faults, docs/ARCHITECTURE.md).
 */

/** The Invoke failures Step Functions names `Lambda.<Code>` and AWS recommends retrying (the definitions do). */
export const INJECTABLE_LAMBDA_ERRORS = {
  'Lambda.TooManyRequestsException': { code: 'TooManyRequestsException', statusCode: 429, message: 'Rate Exceeded.' },
  'Lambda.ServiceException': {
    code: 'ServiceException',
    statusCode: 500,
    message: 'The Lambda service encountered an internal error.',
  },
  'Lambda.AWSLambdaException': {
    code: 'AWSLambdaException',
    statusCode: 500,
    message: 'The Lambda service could not process the request.',
  },
  'Lambda.SdkClientException': {
    code: 'SdkClientException',
    statusCode: 500,
    message: 'Unable to execute HTTP request: Connect to lambda timed out',
  },
} as const;

export type InjectableLambdaError = keyof typeof INJECTABLE_LAMBDA_ERRORS;

/** When the invocation fails: before the code runs (the default), or after it ran, in place of its answer. */
export const FAULT_TIMINGS = ['before', 'after'] as const;

export type FaultTiming = (typeof FAULT_TIMINGS)[number];

/** The failure one faulted invocation gets: the Invoke error (code, HTTP status, message) and when it strikes. */
export type LambdaFailure = (typeof INJECTABLE_LAMBDA_ERRORS)[InjectableLambdaError] & { when: FaultTiming };

export interface LambdaFault {
  /** The function's logical id. */
  function: string;
  error: InjectableLambdaError;
  when: FaultTiming;
  /** Invocations still to fail. */
  remaining: number;
}

/** A request for a fault that cannot be armed (unknown function, error or timing, bad count): nothing is armed. */
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
    const { function: name, error, count, when = 'before' } = (request ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || name === '')
      throw new FaultRequestError('function must be a function name, logical id or ARN');
    const logicalId = this.logicalIdOf(name);
    if (!logicalId) throw new FaultRequestError(`function ${name} is not a function of the template`);
    if (typeof error !== 'string' || !Object.hasOwn(INJECTABLE_LAMBDA_ERRORS, error)) {
      throw new FaultRequestError(`error must be one of ${Object.keys(INJECTABLE_LAMBDA_ERRORS).join(', ')}`);
    }
    if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > MAX_COUNT) {
      throw new FaultRequestError(`count must be a whole number of invocations from 1 to ${MAX_COUNT}`);
    }
    if (!FAULT_TIMINGS.includes(when as FaultTiming)) {
      throw new FaultRequestError(
        'when must be "before" (the default: the code never runs) or "after" (the code runs, its answer is lost)',
      );
    }
    const fault: LambdaFault = {
      function: logicalId,
      error: error as InjectableLambdaError,
      when: when as FaultTiming,
      remaining: count as number,
    };
    this.armed.set(logicalId, fault);
    return { ...fault };
  }

  /**
   * The Invoke failure the next invocation of this function gets, if one is armed (and counts it down, as the
   * invocation starts, so invocations at once each take their own): its error code, HTTP status and message, and
   * whether it strikes before the code runs or after.
   */
  take(logicalId: string): LambdaFailure | undefined {
    const fault = this.armed.get(logicalId);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.armed.delete(logicalId);
    return { ...INJECTABLE_LAMBDA_ERRORS[fault.error], when: fault.when };
  }

  /** Every fault still armed. */
  list(): LambdaFault[] {
    return [...this.armed.values()].map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.armed.clear();
  }
}
