/**
 * Task tokens of `.waitForTaskToken` tasks. A token is 64 random bytes (base64url): unguessable and URL-safe.
 * The registry knows which tokens wait for an answer and which are closed (answered, timed out, execution ended),
 * so SendTask* can tell InvalidToken (never issued) from TaskTimedOut (no longer waiting), as AWS does.
 */
import { randomBytes } from 'node:crypto';
import { TaskError } from '../errors/task-error';

export type CallbackResult = { ok: true; output: unknown } | { ok: false; error?: string; cause?: string };

interface PendingCallback {
  executionArn: string;
  complete(result: CallbackResult): void;
  heartbeat(): void;
  /** activity tasks: a worker took the task (GetActivityTask) */
  started?(workerName: string | undefined): void;
}

/** Bounds memory: the oldest closed tokens are forgotten first (they then read as InvalidToken). */
const MAX_CLOSED = 100_000;

export class TokenRegistry {
  private readonly pending = new Map<string, PendingCallback>();
  private readonly closed = new Set<string>();

  issue(): string {
    return randomBytes(64).toString('base64url');
  }

  register(token: string, callback: PendingCallback): void {
    this.closed.delete(token);
    this.pending.set(token, callback);
  }

  /** Marks a token as no longer waiting. */
  close(token: string): void {
    this.pending.delete(token);
    this.closed.add(token);
    if (this.closed.size > MAX_CLOSED) this.closed.delete(this.closed.values().next().value as string);
  }

  /** Closes every token of an execution (it ended). */
  closeExecution(executionArn: string): void {
    for (const [token, callback] of this.pending) if (callback.executionArn === executionArn) this.close(token);
  }

  /** The waiting task of a token; TaskError when there is none. */
  lookup(token: string): PendingCallback {
    const callback = this.pending.get(token);
    if (callback) return callback;
    if (this.closed.has(token))
      throw new TaskError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    throw new TaskError('InvalidToken', "Invalid Token: 'Invalid token'");
  }
}
