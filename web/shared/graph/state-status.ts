/**
 * How far an execution got, per state, in the Step Functions console's terms, and how to read that from an
 * execution history (GetExecutionHistory's events; timestamps are not needed).
 */
export type StateStatus = 'succeeded' | 'failed' | 'caught' | 'running' | 'aborted' | 'notReached';
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionProgress {
  execution: ExecutionStatus;
  /** State name → status; states never entered are absent (not reached). */
  states: Map<string, StateStatus>;
}

export const STATUS_TEXT: Record<StateStatus, string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  caught: 'Caught error',
  running: 'In progress',
  aborted: 'Cancelled',
  notReached: 'Not reached',
};

/** The subset of a GetExecutionHistory event this module reads. */
export interface HistoryEventLike {
  id: number;
  previousEventId?: number;
  type: string;
  stateEnteredEventDetails?: { name: string };
  stateExitedEventDetails?: { name: string };
  evaluationFailedEventDetails?: { state?: string };
}

/** Event types that report a failed attempt of the state they belong to (it may still be retried or caught). */
const ATTEMPT_FAILED = new Set([
  'TaskFailed',
  'TaskTimedOut',
  'TaskStartFailed',
  'TaskSubmitFailed',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
  'LambdaFunctionStartFailed',
  'LambdaFunctionScheduleFailed',
  'ActivityFailed',
  'ActivityTimedOut',
  'ActivityScheduleFailed',
  'ParallelStateFailed',
  'MapStateFailed',
  'EvaluationFailed',
]);
const ATTEMPT_STARTED = new Set(['TaskScheduled', 'LambdaFunctionScheduled', 'ActivityScheduled']);
const CLOSE: Record<string, ExecutionStatus> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionTimedOut: 'TIMED_OUT',
  ExecutionAborted: 'ABORTED',
};

export function progressFromHistory(events: readonly HistoryEventLike[]): ExecutionProgress {
  const byId = new Map(events.map((e) => [e.id, e]));
  /** The state an event belongs to: follow previousEventId back to the nearest *StateEntered. */
  const stateOf = (event: HistoryEventLike): string | undefined => {
    let current: HistoryEventLike | undefined = event;
    for (let hops = 0; current && hops < 10_000; hops++) {
      if (current.stateEnteredEventDetails) return current.stateEnteredEventDetails.name;
      if (current.evaluationFailedEventDetails?.state) return current.evaluationFailedEventDetails.state;
      if (!current.previousEventId) return undefined;
      current = byId.get(current.previousEventId);
    }
    return undefined;
  };
  const states = new Map<string, StateStatus>();
  const erred = new Set<string>();
  let execution: ExecutionStatus = 'RUNNING';
  for (const event of events) {
    if (event.stateEnteredEventDetails) {
      const name = event.stateEnteredEventDetails.name;
      erred.delete(name);
      states.set(name, event.type === 'FailStateEntered' ? 'failed' : 'running');
    } else if (event.stateExitedEventDetails) {
      const name = event.stateExitedEventDetails.name;
      states.set(name, erred.has(name) ? 'caught' : 'succeeded');
    } else if (ATTEMPT_FAILED.has(event.type)) {
      const name = stateOf(event);
      if (name) erred.add(name);
    } else if (ATTEMPT_STARTED.has(event.type)) {
      const name = stateOf(event);
      if (name) erred.delete(name); // a retry: the earlier failed attempt no longer decides the colour
    } else if (event.type.endsWith('StateAborted')) {
      const name = stateOf(event);
      if (name) states.set(name, 'aborted');
    } else if (event.type in CLOSE) {
      execution = CLOSE[event.type]!;
    }
  }
  if (execution !== 'RUNNING') {
    for (const [name, status] of states) {
      if (status !== 'running') continue;
      states.set(name, execution === 'ABORTED' ? 'aborted' : execution === 'SUCCEEDED' ? 'succeeded' : 'failed');
    }
  }
  return { execution, states };
}
