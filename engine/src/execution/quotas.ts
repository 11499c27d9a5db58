/**
 * AWS Step Functions' hard quotas on one execution ("Quotas related to state machine executions",
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html#service-limits-state-machine-executions).
 * They are what keeps one runaway execution (a Choice looping back to a Pass) from taking its host down.
 */
import type { StartOptions } from './execution';

/**
 * "Maximum execution history size: 25,000 events in a single state machine execution history. If the execution
 * history reaches this quota, the execution will fail." (STANDARD; EXPRESS: "Unlimited.").
 */
export const MAX_HISTORY_EVENTS = 25_000;

/**
 * The failure AWS records as event #25,000 (ExecutionFailed, previousEventId 24,999): the quota page does not word
 * it, so this is the text of AWS's own histories (ExecutionFailed of a Choice looping forever, recorded in
 * floci-io/floci#2734; the same error and cause in loads/ardere#86 and aws-samples/aws-organizations-tag-inventory#15).
 */
export const HISTORY_LIMIT_ERROR = 'States.Runtime';
export const HISTORY_LIMIT_CAUSE = `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * "Maximum execution time: 1 year [STANDARD] / 5 minutes [EXPRESS]. If an execution runs for more than the
 * maximum, it will fail with a `States.Timeout` error and emit a `ExecutionsTimedOut` CloudWatch metric": the
 * execution ends TIMED_OUT with ExecutionTimedOut (error States.Timeout), as a machine-level TimeoutSeconds ends it.
 * AWS does not say how long its year is; 365 days here.
 */
export const MAX_EXECUTION_MS: Readonly<Record<StartOptions['type'], number>> = {
  STANDARD: 365 * DAY_MS,
  EXPRESS: 5 * 60 * 1000,
};
