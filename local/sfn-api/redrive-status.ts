/**
 * What DescribeExecution and ListExecutions say of an execution's redrives (redriveCount, redriveDate,
 * redriveStatus, redriveStatusReason), and the client tokens RedriveExecution answers idempotently. Whether an
 * execution can be redriven is the engine's verdict (AWS's reasons, the 14 days counted on the local clock).
 */
import { type HistoryEvent, redriveVerdict } from '@serverless-workflows/sfn-engine';
import type { SfnApiContext } from './context';
import { eventsOf, type ExecutionEntry, infoOf } from './executions';
import { epochSeconds } from './wire-format';

/**
 * "The API will return idempotent responses for the last 10 client tokens used to successfully redrive the
 * execution. These client tokens are valid for up to 15 minutes after they are first used."
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html#StepFunctions-RedriveExecution-request-clientToken)
 */
const REMEMBERED_TOKENS = 10;
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;

export type RedriveState =
  | { redriveStatus: 'REDRIVABLE' }
  | { redriveStatus: 'NOT_REDRIVABLE'; redriveStatusReason: string };

export function redriveState(context: SfnApiContext, entry: ExecutionEntry): RedriveState {
  const events = eventsOf(entry);
  // Local only: a history that could not be read at start cannot be continued.
  if (entry.stored?.unreadable || events.length === 0) {
    const status = infoOf(entry).status;
    return {
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason:
        status === 'RUNNING' || status === 'SUCCEEDED'
          ? `Execution is ${status} and cannot be redriven`
          : 'Execution history could not be read by the local Step Functions API and cannot be redriven',
    };
  }
  const verdict = redriveVerdict(events, entry.meta.type, context.clock.now());
  if (!verdict.redrivable) return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: verdict.reason };
  // DeleteStateMachine was called: AWS keeps such a state machine DELETING, and says so.
  if (!context.stateMachines.has(entry.meta.stateMachineArn)) {
    return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'State machine is in DELETING status' };
  }
  return { redriveStatus: 'REDRIVABLE' };
}

/** redriveCount (0 when never redriven) and redriveDate (when it was), as both operations list them. */
export function redriveCounters(entry: ExecutionEntry): { redriveCount: number; redriveDate?: number } {
  const info = infoOf(entry);
  return {
    redriveCount: info.redriveCount ?? 0,
    ...(info.redriveDate !== undefined ? { redriveDate: epochSeconds(info.redriveDate) } : {}),
  };
}

/** The redrive a client token already made, while AWS would still answer it idempotently. */
export function redriveOfToken(
  events: readonly HistoryEvent[],
  clientToken: string,
  nowMs: number,
): HistoryEvent | undefined {
  const recent = events.filter((event) => event.type === 'ExecutionRedriven').slice(-REMEMBERED_TOKENS);
  return recent.find((event) => event.clientToken === clientToken && nowMs - event.timestamp <= TOKEN_LIFETIME_MS);
}
