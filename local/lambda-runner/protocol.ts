/**
 * The IPC messages between the Lambda runner (parent) and a function's worker process (worker.ts).
 * Types only: the worker runs under Node's type stripping, which erases `import type`.
 */

/** The Node.js runtime's error payload (what Lambda's Invoke returns with FunctionError: Unhandled). */
export interface LambdaErrorPayload {
  errorType?: string;
  errorMessage: string;
  trace?: string[];
}

export interface InvokeMessage {
  type: 'invoke';
  requestId: string;
  /** The event as JSON text, parsed by the worker like Lambda parses the request payload. */
  event: string;
  /** Epoch ms at which the invocation times out (getRemainingTimeInMillis counts down to it). */
  deadlineMs: number;
  traceHeader: string;
  invokedFunctionArn: string;
  /**
   * How far the local cloud's clock is ahead of real time, in ms (POST <sfn>/_local/clock): the worker shifts the
   * function's `Date` by it, so the function sees the engine's time.
   */
  clockOffsetMs: number;
}

export type WorkerMessage =
  /** The handler module loaded (the init phase ended), or failed to. */
  | { type: 'ready' }
  | { type: 'init-error'; error: LambdaErrorPayload }
  /** Everything the function wrote to stdout/stderr, in order with the results. */
  | { type: 'log'; text: string }
  /** payload: the handler's return value as JSON text ('null' for undefined), as Lambda serialises it. */
  | { type: 'result'; requestId: string; payload: string; maxMemoryUsedMB: number }
  /** fatal: the error escaped the handler (uncaught exception, unhandled rejection) and the worker is exiting. */
  | { type: 'error'; requestId: string; error: LambdaErrorPayload; maxMemoryUsedMB: number; fatal?: boolean };
