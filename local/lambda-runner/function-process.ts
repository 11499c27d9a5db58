import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { FunctionConfig } from './function-config';
import type { InvokeMessage, LambdaErrorPayload, WorkerMessage } from './protocol';

/** Lambda's limit on the init phase (module load) of an on-demand function. */
const INIT_TIMEOUT_MS = 10_000;

export interface ProcessInvocation {
  requestId: string;
  event: string;
  traceHeader: string;
  invokedFunctionArn: string;
}

export interface ProcessOutcome {
  /** The handler's return value as JSON text, or the error payload. */
  payload: string | LambdaErrorPayload;
  failed: boolean;
  logs: string;
  durationMs: number;
  maxMemoryUsedMB?: number;
  /** The environment is gone (timeout, exit, init failure): the pool must not reuse this process. */
  dead: boolean;
}

export interface FunctionProcessOptions {
  config: FunctionConfig;
  bundleFile: string;
  environment: Record<string, string>;
  nodePath: string;
  workerPath: string;
  /** Every complete line the function writes, as it writes it. */
  onLog?: (line: string) => void;
  /** How far the local cloud's clock is ahead of real time, in ms, now (the function's Date is shifted by it). */
  clockOffsetMs?: () => number;
}

interface Pending {
  requestId: string;
  logs: string[];
  startedAt: number;
  finish(outcome: Omit<ProcessOutcome, 'logs' | 'durationMs'>): void;
}

/**
 * One execution environment of a function: a forked worker process that runs one invocation at a time and is
 * reused warm. A timeout kills it (as Lambda stops the sandbox); a crash or exit fails the running invocation.
 */
export class FunctionProcess {
  private readonly child: ChildProcess;
  private readonly ready: Promise<LambdaErrorPayload | undefined>;
  private pending?: Pending;
  private partialLine = '';
  private exited = false;
  private killed = false;
  private exitDescription = '';

  constructor(private readonly options: FunctionProcessOptions) {
    const clockOffset = String(options.clockOffsetMs?.() ?? 0);
    this.child = fork(options.workerPath, [options.bundleFile, options.config.handlerExport, clockOffset], {
      execPath: options.nodePath,
      execArgv: [],
      env: options.environment,
      // A function that was never built has no folder; the worker then reports Lambda's Runtime.ImportModuleError.
      cwd: existsSync(options.environment.LAMBDA_TASK_ROOT) ? options.environment.LAMBDA_TASK_ROOT : undefined,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    // Output that bypasses process.stdout (native writes, Node's own warnings) still belongs to the function.
    this.child.stdout?.on('data', (chunk: Buffer) => this.log(chunk.toString('utf8')));
    this.child.stderr?.on('data', (chunk: Buffer) => this.log(chunk.toString('utf8')));
    this.ready = new Promise((resolve) => {
      const timer = setTimeout(() => {
        resolve({
          errorType: 'Sandbox.Timedout',
          errorMessage: `Init phase did not finish within ${INIT_TIMEOUT_MS / 1000} seconds`,
        });
        this.kill();
      }, INIT_TIMEOUT_MS);
      const settle = (error?: LambdaErrorPayload) => {
        clearTimeout(timer);
        resolve(error);
      };
      this.child.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') settle();
        else if (message.type === 'init-error') settle(message.error);
        else this.onMessage(message);
      });
      this.child.on('exit', (code, signal) => {
        this.exited = true;
        this.exitDescription = signal ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal}` : `exit status ${code}`;
        settle({ errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: ${this.exitDescription}` });
        this.onExit();
      });
      this.child.on('error', (error) =>
        settle({ errorType: 'Runtime.ExitError', errorMessage: `Runtime failed to start: ${error.message}` }),
      );
    });
  }

  get alive(): boolean {
    return !this.exited && !this.killed;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async invoke(invocation: ProcessInvocation): Promise<ProcessOutcome> {
    if (this.pending) throw new Error('a function process runs one invocation at a time');
    const startedAt = Date.now();
    const logs: string[] = [`START RequestId: ${invocation.requestId} Version: $LATEST`];
    const initError = await this.ready;
    if (initError) {
      this.kill();
      return {
        payload: initError,
        failed: true,
        logs: `${logs.join('\n')}\n`,
        durationMs: Date.now() - startedAt,
        dead: true,
      };
    }
    const { timeoutSeconds } = this.options.config;
    return new Promise<ProcessOutcome>((resolve) => {
      const invokeStartedAt = Date.now();
      const timer = setTimeout(() => {
        const seconds = timeoutSeconds.toFixed(2);
        this.pending?.logs.push(
          `${new Date().toISOString()} ${invocation.requestId} Task timed out after ${seconds} seconds`,
        );
        this.pending?.finish({
          payload: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `RequestId: ${invocation.requestId} Error: Task timed out after ${seconds} seconds`,
          },
          failed: true,
          dead: true,
        });
        this.kill();
      }, timeoutSeconds * 1000);
      this.pending = {
        requestId: invocation.requestId,
        logs,
        startedAt: invokeStartedAt,
        finish: (outcome) => {
          clearTimeout(timer);
          this.pending = undefined;
          this.flushPartialLine(logs);
          const durationMs = Date.now() - invokeStartedAt;
          logs.push(`END RequestId: ${invocation.requestId}`);
          logs.push(
            `REPORT RequestId: ${invocation.requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(durationMs))} ms\t` +
              `Memory Size: ${this.options.config.memorySize} MB\tMax Memory Used: ${outcome.maxMemoryUsedMB ?? 0} MB`,
          );
          resolve({ ...outcome, logs: `${logs.join('\n')}\n`, durationMs });
        },
      };
      const message: InvokeMessage = {
        type: 'invoke',
        requestId: invocation.requestId,
        event: invocation.event,
        deadlineMs: invokeStartedAt + timeoutSeconds * 1000,
        traceHeader: invocation.traceHeader,
        invokedFunctionArn: invocation.invokedFunctionArn,
        clockOffsetMs: this.options.clockOffsetMs?.() ?? 0,
      };
      this.child.send(message, (error) => {
        if (error && this.pending?.requestId === invocation.requestId) {
          this.pending.finish({
            payload: {
              errorType: 'Runtime.ExitError',
              errorMessage: `RequestId: ${invocation.requestId} Error: ${error.message}`,
            },
            failed: true,
            dead: true,
          });
        }
      });
    });
  }

  kill(): void {
    this.killed = true;
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private onMessage(message: WorkerMessage): void {
    if (message.type === 'log') {
      this.log(message.text);
      return;
    }
    if ((message.type === 'result' || message.type === 'error') && this.pending?.requestId === message.requestId) {
      const failed = message.type === 'error';
      this.pending.finish({
        payload: message.type === 'result' ? message.payload : message.error,
        failed,
        maxMemoryUsedMB: message.maxMemoryUsedMB,
        dead: message.type === 'error' && message.fatal === true,
      });
    }
  }

  private onExit(): void {
    const pending = this.pending;
    if (!pending) return;
    pending.finish({
      payload: {
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${pending.requestId} Error: Runtime exited with error: ${this.exitDescription}`,
      },
      failed: true,
      dead: true,
    });
  }

  /** Splits output into lines: each goes to the current invocation's log and to onLog. */
  private log(text: string): void {
    const lines = (this.partialLine + text).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) this.emit(line);
  }

  private flushPartialLine(logs: string[]): void {
    if (!this.partialLine) return;
    logs.push(this.partialLine);
    this.options.onLog?.(this.partialLine);
    this.partialLine = '';
  }

  private emit(line: string): void {
    this.pending?.logs.push(line);
    this.options.onLog?.(line);
  }
}
