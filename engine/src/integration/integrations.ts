/** The host's side of Task states: the engine hands each task to Integrations.invoke and takes its outcome. */

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
  { ok: true; output: unknown } | { ok: false; error: string; cause?: string };

export interface Integrations {
  invoke(request: TaskRequest): Promise<TaskOutcome>;
}
