/**
 * Local-only fault injection for this Step Functions API's own operations, beside the Lambda runner's (both at
 * POST /_local/faults): the next N calls of an operation fail as the service fails them, a 5xx the AWS SDK retries
 * and then reports. "before" (the default): the call is refused and nothing happens; "after": the call is carried
 * out (SendTaskSuccess completes the task) and only its answer is lost. It rehearses a caller's gap between its own
 * write and its call to Step Functions (SubmitExam's SendTaskSuccess after it recorded the result) both ways round.
 */
import { SfnApiError } from './errors';
import { FAULT_TIMINGS, FaultRequestError, type FaultTiming } from '../lambda-runner/faults';

/** The server errors Step Functions answers when it fails a call (the SDK retries them as transient). */
export const INJECTABLE_API_ERRORS = {
  ServiceUnavailable: { statusCode: 503, message: 'Service Unavailable' },
  InternalFailure: {
    statusCode: 500,
    message: 'The request processing has failed because of an unknown error, exception or failure.',
  },
} as const;

export type InjectableApiError = keyof typeof INJECTABLE_API_ERRORS;

export interface ApiFault {
  /** The API operation, as X-Amz-Target names it after `AWSStepFunctions.` (SendTaskSuccess, StartExecution, ...). */
  operation: string;
  error: InjectableApiError;
  when: FaultTiming;
  /** Calls still to fail. */
  remaining: number;
}

const MAX_COUNT = 1000;

export class ApiFaults {
  private readonly armed = new Map<string, ApiFault>();

  /** `isOperation` says whether this API serves an operation of that name. */
  constructor(private readonly isOperation: (operation: string) => boolean) {}

  /** Arms a fault from an untrusted request body (one with an `operation`); replaces one armed for that operation. */
  inject(request: unknown): ApiFault {
    const { operation, error, count, when = 'before' } = (request ?? {}) as Record<string, unknown>;
    if (typeof operation !== 'string' || !this.isOperation(operation))
      throw new FaultRequestError('operation must be an operation this API serves, e.g. "SendTaskSuccess"');
    if (typeof error !== 'string' || !Object.hasOwn(INJECTABLE_API_ERRORS, error))
      throw new FaultRequestError(`error must be one of ${Object.keys(INJECTABLE_API_ERRORS).join(', ')}`);
    if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > MAX_COUNT)
      throw new FaultRequestError(`count must be a whole number of calls from 1 to ${MAX_COUNT}`);
    if (!FAULT_TIMINGS.includes(when as FaultTiming))
      throw new FaultRequestError(
        'when must be "before" (the default: the call is refused) or "after" (the call is carried out, its answer is lost)',
      );
    const fault: ApiFault = {
      operation,
      error: error as InjectableApiError,
      when: when as FaultTiming,
      remaining: count as number,
    };
    this.armed.set(operation, fault);
    return { ...fault };
  }

  /** The failure the next call of this operation gets, if one is armed (counted down as the call arrives). */
  take(operation: string): { error: SfnApiError; when: FaultTiming } | undefined {
    const fault = this.armed.get(operation);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.armed.delete(operation);
    const { statusCode, message } = INJECTABLE_API_ERRORS[fault.error];
    return { error: new SfnApiError(fault.error, message, statusCode), when: fault.when };
  }

  list(): ApiFault[] {
    return [...this.armed.values()].map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.armed.clear();
  }
}
