/** The context object (`$$` in JSONPath, `$states.context` in JSONata) of a state being executed. */
import { formatTimestamp } from '../time/timestamp';
import type { AnyStateRun } from './state-run';

/** Members of the context object that only some fields see. */
export interface ContextExtras {
  token?: string;
  mapItem?: Record<string, unknown>;
}

export function contextObject(state: AnyStateRun, extras?: ContextExtras): Record<string, unknown> {
  const context: Record<string, unknown> = {
    Execution: state.run.contextExecution,
    State: { EnteredTime: formatTimestamp(state.entered.timestamp), Name: state.name, RetryCount: state.retryCount },
    StateMachine: state.run.contextStateMachine,
  };
  if (extras?.token !== undefined) context.Task = { Token: extras.token };
  if (extras?.mapItem) context.Map = { Item: extras.mapItem };
  return context;
}
