/** One attempt of a Task state, as prepared before the integration is called. */
import type { TaskState } from '../../asl/states';
import type { HistoryEvent } from '../../execution/history';
import type { StateRun } from '../../execution/state-run';

export interface TaskPlan {
  state: StateRun<TaskState>;
  resource: string;
  names: { resourceType: string; resource: string };
  legacyLambda: boolean;
  callback: boolean;
  token?: string;
  parameters: unknown;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  scheduled: HistoryEvent;
  started: HistoryEvent;
}
