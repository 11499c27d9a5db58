/** The context object (`$$` in JSONPath, `$states.context` in JSONata) of a state being executed. */
import { formatTimestamp } from '../time/timestamp';
import type { AnyStateRun } from './state-run';

/** Members of the context object that only some fields see. */
export interface ContextExtras {
  token?: string;
  mapItem?: Record<string, unknown>;
}

export function contextObject(state: AnyStateRun, extras?: ContextExtras): Record<string, unknown> {
  const session = state.run.testState;
  if (session) return testStateContext(state, session.context, extras);
  const stateMember: Record<string, unknown> = {
    EnteredTime: formatTimestamp(state.entered.timestamp),
    Name: state.name,
  };
  // AWS's own histories: a Pass state's $$.State is {Name, EnteredTime} (assign test_base_cases BASE_PATHS).
  if (RETRYING_TYPES.has(state.def.Type)) stateMember.RetryCount = state.retryCount;
  const context: Record<string, unknown> = {
    Execution: state.run.contextExecution,
    State: stateMember,
    StateMachine: state.run.contextStateMachine,
  };
  if (extras?.token !== undefined) context.Task = { Token: extras.token };
  if (extras?.mapItem) context.Map = { Item: extras.mapItem };
  return context;
}

/** States whose context object counts retries (the others have no Retry). */
const RETRYING_TYPES = new Set(['Task', 'Map', 'Parallel']);

/**
 * TestState's context object: the one the caller gave, as given (AWS adds nothing to it, not even State), or one
 * built as for an execution, where AWS gives State.RetryCount only to a state that can retry.
 */
function testStateContext(
  state: AnyStateRun,
  given: Record<string, unknown> | undefined,
  extras: ContextExtras | undefined,
): Record<string, unknown> {
  let context: Record<string, unknown>;
  if (given) context = structuredClone(given);
  else {
    // AWS names the state under test "StateName" here, whatever its name in the definition.
    const stateMember: Record<string, unknown> = {
      EnteredTime: formatTimestamp(state.entered.timestamp),
      Name: 'StateName',
    };
    if (RETRYING_TYPES.has(state.def.Type)) stateMember.RetryCount = state.retryCount;
    const { options, info } = state.run;
    const execution = {
      Id: options.executionArn,
      Input: options.input,
      Name: options.name,
      RoleArn: options.roleArn ?? null,
      StartTime: formatTimestamp(info.startDate),
    };
    context = { Execution: execution, State: stateMember, StateMachine: state.run.contextStateMachine };
  }
  if (extras?.token !== undefined) context.Task = { ...(context.Task as object | undefined), Token: extras.token };
  if (extras?.mapItem) context.Map = { Item: extras.mapItem };
  return context;
}
