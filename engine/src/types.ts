/**
 * The engine's public types, exactly as docs/ARCHITECTURE.md ("The engine's public API") fixes them.
 * Timestamps are epoch milliseconds; the Step Functions API server converts them to epoch seconds.
 */
import type { Clock } from './clock';

export interface TaskRequest {
  /** The state's Resource, e.g. 'arn:aws:states:::lambda:invoke.waitForTaskToken'. */
  resource: string;
  /** Effective Parameters/Arguments (already evaluated). */
  parameters: unknown;
  /** Set for .waitForTaskToken. */
  taskToken?: string;
  stateName: string;
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  /** 0-based invocation count of this state in this execution (mock counters). */
  attempt: number;
  /** Aborted on timeout / stop. */
  signal: AbortSignal;
}

export type TaskOutcome =
  /** Request-response result, or the submit response for callbacks. */
  | { ok: true; output: unknown }
  | { ok: false; error: string; cause?: string };

export interface Integrations {
  invoke(request: TaskRequest): Promise<TaskOutcome>;
}

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  type: string;
  /** epoch ms */
  timestamp: number;
  [details: string]: unknown;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionInfo {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  input: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
}

export interface EngineOptions {
  clock: Clock;
  integrations: Integrations;
  /** Default us-east-1. */
  region?: string;
  /** Default 123456789012. */
  accountId?: string;
  /** Called synchronously for every event, in order (persistence hook). */
  onEvent?(executionArn: string, event: HistoryEvent): void;
  onClose?(execution: ExecutionInfo): void;
}

export interface StartOptions {
  definition: string | object;
  stateMachineArn: string;
  stateMachineName: string;
  executionArn: string;
  name: string;
  input: unknown;
  type: 'STANDARD' | 'EXPRESS';
  roleArn?: string;
}

export interface Execution {
  readonly info: ExecutionInfo;
  readonly events: readonly HistoryEvent[];
  readonly done: Promise<ExecutionInfo>;
}
