/**
 * The Step Functions engine: a pure library that runs Amazon States Language state machines (JSONPath and
 * JSONata), records AWS-shaped execution histories, and resumes executions from them. See engine/README.md.
 */
export type { Clock } from './clock';
export { VirtualClock, SystemClock } from './clock';
export type {
  TaskRequest,
  TaskOutcome,
  Integrations,
  HistoryEvent,
  EngineOptions,
  StartOptions,
  ExecutionInfo,
  ExecutionStatus,
  Execution,
} from './types';
export { Engine } from './engine';
export { validateDefinition, DefinitionError, type Diagnostic } from './collaborators';
export { TaskError, ExecutionError, StatesError, type TaskErrorName, type ExecutionErrorName } from './errors';
