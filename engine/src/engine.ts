/**
 * The engine: starts, resumes and stops executions of state machines, and routes SendTask* calls to the tasks
 * waiting for them. Pure: all I/O is the host's (Integrations, onEvent/onClose), all time the injected Clock's.
 */
import './states';
import { runFrame } from './interpreter';
import { loadMachine } from './machine';
import { Run, type RunHost } from './run';
import { TokenRegistry } from './tokens';
import type { EngineOptions, Execution, ExecutionInfo, HistoryEvent, StartOptions } from './types';

export class Engine {
  private readonly host: RunHost;
  private readonly running = new Map<string, Run>();

  constructor(options: EngineOptions) {
    this.host = {
      clock: options.clock,
      integrations: options.integrations,
      region: options.region ?? 'us-east-1',
      accountId: options.accountId ?? '123456789012',
      tokens: new TokenRegistry(),
      onEvent: options.onEvent,
      onClose: options.onClose,
      closed: (run) => this.running.delete(run.info.executionArn),
    };
  }

  /** Starts an execution; throws DefinitionError when the definition is invalid. */
  start(options: StartOptions): Execution {
    return this.launch(options);
  }

  /**
   * Rebuilds a running execution from its recorded history (as persisted through onEvent) and continues it:
   * recorded outcomes are reused, waiting task tokens accept SendTask* again, timers re-arm from recorded times.
   */
  resume(options: StartOptions, events: HistoryEvent[]): Execution {
    if (events.length === 0 || events[0].type !== 'ExecutionStarted') {
      throw new Error('resume needs the execution history, starting with its ExecutionStarted event');
    }
    return this.launch(options, events);
  }

  sendTaskSuccess(token: string, output: unknown): void {
    this.host.tokens.lookup(token).complete({ ok: true, output });
  }

  sendTaskFailure(token: string, error?: string, cause?: string): void {
    this.host.tokens.lookup(token).complete({ ok: false, error, cause });
  }

  sendTaskHeartbeat(token: string): void {
    this.host.tokens.lookup(token).heartbeat();
  }

  /** StopExecution: the execution ends ABORTED; a closed or unknown execution is left as it is. */
  stop(executionArn: string, error?: string, cause?: string): void {
    this.running.get(executionArn)?.stop(error, cause);
  }

  /** The executions this engine is running now. */
  get executions(): ExecutionInfo[] {
    return [...this.running.values()].map((run) => run.info);
  }

  private launch(options: StartOptions, recorded?: HistoryEvent[]): Execution {
    const machine = loadMachine(options.definition, options.type);
    if (this.running.has(options.executionArn)) {
      throw new Error(`Execution is already running: '${options.executionArn}'`);
    }
    const run = new Run(this.host, options, machine, recorded);
    this.running.set(options.executionArn, run);
    void run.run(runFrame);
    return run.execution;
  }
}
