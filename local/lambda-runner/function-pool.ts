import {
  FunctionProcess,
  type FunctionProcessOptions,
  type ProcessInvocation,
  type ProcessOutcome,
} from './function-process';

/**
 * The warm execution environments of one function. Like Lambda, an invocation takes an idle environment or
 * starts a new one (a cold start), up to `maxConcurrency` at once; beyond that invocations queue (where
 * Lambda would throttle) so that a burst of requests never fails locally.
 */
export class FunctionPool {
  private readonly idle: FunctionProcess[] = [];
  private readonly busy = new Set<FunctionProcess>();
  private readonly waiting: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly options: FunctionProcessOptions,
    private readonly maxConcurrency: number,
  ) {}

  async invoke(invocation: ProcessInvocation): Promise<ProcessOutcome> {
    const environment = await this.acquire();
    try {
      const outcome = await environment.invoke(invocation);
      if (outcome.dead) environment.kill();
      return outcome;
    } finally {
      this.release(environment);
    }
  }

  /** Pids of the running environments (for the runtime's process bookkeeping). */
  get pids(): number[] {
    return [...this.idle, ...this.busy]
      .map((environment) => environment.pid)
      .filter((pid): pid is number => pid !== undefined);
  }

  close(): void {
    this.closed = true;
    for (const environment of [...this.idle, ...this.busy]) environment.kill();
    this.idle.length = 0;
  }

  private async acquire(): Promise<FunctionProcess> {
    for (;;) {
      if (this.closed) throw new Error('the Lambda runner is closed');
      let environment = this.idle.pop();
      while (environment && !environment.alive) environment = this.idle.pop();
      if (!environment && this.busy.size < this.maxConcurrency) environment = new FunctionProcess(this.options);
      if (environment) {
        this.busy.add(environment);
        return environment;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(environment: FunctionProcess): void {
    this.busy.delete(environment);
    if (environment.alive && !this.closed) this.idle.push(environment);
    this.waiting.shift()?.();
  }
}
