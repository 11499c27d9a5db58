/**
 * The Step Functions engine: a pure library that runs Amazon States Language state machines (JSONPath and
 * JSONata), records AWS-shaped execution histories, and resumes executions from them. See engine/README.md.
 */
export type { Clock } from './time/clock';
export { VirtualClock } from './time/virtual-clock';
export { SystemClock } from './time/system-clock';
export type { TaskRequest, TaskOutcome, Integrations } from './integration/integrations';
export type { ActivityTask, ActivityHost } from './integration/activities';
export type { MapRunHost, MapRunRequest, MapRunOutcome } from './integration/map-runs';
export type { HistoryEvent } from './execution/history';
export type { EngineOptions } from './engine/options';
export type { StartOptions, ExecutionInfo, ExecutionStatus, Execution } from './execution/execution';
export { Engine } from './engine/engine';
export { redriveVerdict, REDRIVABLE_PERIOD_MS, type RedriveVerdict } from './execution/redrive';
export { validateDefinition } from './validation/validate';
export { DefinitionError } from './validation/definition-error';
export type { Diagnostic } from './validation/diagnostic';
export { TaskError, type TaskErrorName } from './errors/task-error';
export { ExecutionError, type ExecutionErrorName } from './errors/execution-error';
export { StatesError } from './errors/states-error';
export { testState, type TestStateHost, type TestStateResult, type InspectionData } from './test-state/test-state';
export type { TestStateRequest, InspectionLevel, FieldValidationMode } from './test-state/request';
export { TestStateError, type TestStateErrorCode } from './test-state/errors';
