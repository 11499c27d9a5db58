/**
 * An execution as its host sees it: what starts it, its status and result, and the handle Engine.start returns.
 * Timestamps are epoch milliseconds; the Step Functions API server converts them to epoch seconds.
 */
import type { HistoryEvent } from './history';

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
  /** How many times it was redriven (RedriveExecution); absent when never. */
  redriveCount?: number;
  /** When it was last redriven (epoch ms). */
  redriveDate?: number;
}

export interface Execution {
  readonly info: ExecutionInfo;
  readonly events: readonly HistoryEvent[];
  readonly done: Promise<ExecutionInfo>;
}
