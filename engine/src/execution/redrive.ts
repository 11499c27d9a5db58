/**
 * Whether an execution can be redriven (RedriveExecution), from its history and the time now, in AWS's words:
 * the `redriveStatusReason` texts of DescribeExecution
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html#StepFunctions-DescribeExecution-response-redriveStatusReason)
 * and the conditions of https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html: the
 * execution did not succeed, is STANDARD, stopped less than 14 days ago, has not been open for more than a year,
 * and its history has room for more events.
 */
import type { ExecutionStatus, StartOptions } from './execution';
import type { HistoryEvent } from './history';
import { MAX_EXECUTION_MS, MAX_HISTORY_EVENTS } from './quotas';

/** "Your workflow execution has not exceeded the redrivable period of 14 days ... from the day [it] completes". */
export const REDRIVABLE_PERIOD_MS = 14 * 24 * 60 * 60 * 1000;

export type RedriveVerdict = { redrivable: true } | { redrivable: false; reason: string };

const STATUS_OF_CLOSE: Readonly<Record<string, ExecutionStatus>> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionTimedOut: 'TIMED_OUT',
  ExecutionAborted: 'ABORTED',
};

/** The status a history ends in: RUNNING until its last event closes it. */
export function statusOfHistory(events: readonly HistoryEvent[]): ExecutionStatus {
  return STATUS_OF_CLOSE[events[events.length - 1]?.type ?? ''] ?? 'RUNNING';
}

export function redriveVerdict(
  events: readonly HistoryEvent[],
  type: StartOptions['type'],
  nowMs: number,
): RedriveVerdict {
  const status = statusOfHistory(events);
  if (status === 'RUNNING' || status === 'SUCCEEDED') {
    return { redrivable: false, reason: `Execution is ${status} and cannot be redriven` };
  }
  // AWS redrives STANDARD executions only ("This API action is not supported by EXPRESS state machines").
  if (type === 'EXPRESS') return { redrivable: false, reason: 'Execution is EXPRESS and cannot be redriven' };
  const started = events[0].timestamp;
  const closed = events[events.length - 1];
  if (closed.timestamp - started >= MAX_EXECUTION_MS.STANDARD || nowMs - started >= MAX_EXECUTION_MS.STANDARD) {
    return { redrivable: false, reason: 'Execution has exceeded the max execution time' };
  }
  // The redrive's own event and at least one more must fit ("has not exceeded the maximum limit of 25,000 entries").
  if (closed.id + 1 >= MAX_HISTORY_EVENTS)
    return { redrivable: false, reason: 'Execution history event limit exceeded' };
  if (nowMs - closed.timestamp > REDRIVABLE_PERIOD_MS) {
    return { redrivable: false, reason: 'Execution redrivable period exceeded' };
  }
  // Nothing ran that a redrive could continue (a failure of the host before the first state). AWS words no reason
  // for this case: this text is ours.
  if (!events.some((event) => event.type.endsWith('StateEntered'))) {
    return { redrivable: false, reason: 'Execution failed before its first state and cannot be redriven' };
  }
  return { redrivable: true };
}

/** The event a redrive adds after the history's closing event: the count is the redrives so far, this one included. */
export function redrivenEvent(events: readonly HistoryEvent[], nowMs: number): HistoryEvent {
  const closed = events[events.length - 1];
  const redriveCount = events.filter((event) => event.type === 'ExecutionRedriven').length + 1;
  return {
    id: closed.id + 1,
    previousEventId: closed.id,
    type: 'ExecutionRedriven',
    timestamp: Math.max(nowMs, closed.timestamp),
    executionRedrivenEventDetails: { redriveCount },
  };
}
