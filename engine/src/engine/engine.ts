/**
 * The engine: starts, resumes and stops executions of state machines, and routes SendTask* calls to the tasks
 * waiting for them. Pure: all I/O is the host's (Integrations, onEvent/onClose), all time the injected Clock's.
 */
import { ExecutionError } from '../errors/execution-error';
import { TaskError } from '../errors/task-error';
import type { Execution, ExecutionInfo, StartOptions } from '../execution/execution';
import type { HistoryEvent } from '../execution/history';
import { redrivenEvent, redriveVerdict } from '../execution/redrive';
import { Run, type RunHost } from '../execution/run';
import { runFrame } from '../execution/run-frame';
import { TokenRegistry } from '../integration/task-tokens';
import { asJson, NotJsonError } from '../json/as-json';
import { textOf } from '../json/text';
import type { TestStateRequest } from '../test-state/request';
import { type TestStateHost, type TestStateResult, testState } from '../test-state/test-state';
import { loadMachine } from './load-machine';
import type { EngineOptions } from './options';

function isHistoryEvent(event: unknown): event is HistoryEvent {
  if (typeof event !== 'object' || event === null) return false;
  const { id, type, timestamp } = event as Partial<HistoryEvent>;
  return (
    Number.isInteger(id) && typeof type === 'string' && typeof timestamp === 'number' && Number.isFinite(timestamp)
  );
}

/** A history to resume or redrive: ids run 1, 2, 3, ... from its ExecutionStarted. */
function checkHistory(events: unknown): asserts events is HistoryEvent[] {
  if (!Array.isArray(events) || !isHistoryEvent(events[0]) || events[0].type !== 'ExecutionStarted') {
    throw new ExecutionError(
      'InvalidHistory',
      'resume and redrive need the execution history, starting with its ExecutionStarted event',
    );
  }
  const garbled = events.findIndex((event, index) => !isHistoryEvent(event) || event.id !== index + 1);
  if (garbled >= 0) {
    throw new ExecutionError(
      'InvalidHistory',
      `The history's event #${garbled + 1} is not an event with id ${garbled + 1} (ids run 1, 2, 3, ... with a type and a timestamp)`,
    );
  }
}

/** SendTaskFailure's error and cause are strings; anything else a caller passes is written as text. */
function optionalText(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : textOf(value);
}

export class Engine {
  private readonly host: RunHost;
  private readonly running = new Map<string, Run>();

  constructor(options: EngineOptions) {
    this.host = {
      clock: options.clock,
      integrations: options.integrations,
      activities: options.activities,
      mapRuns: options.mapRuns,
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
    checkHistory(events);
    return this.launch(options, events);
  }

  /**
   * RedriveExecution: continues an execution that ended FAILED, TIMED_OUT or ABORTED from what did not succeed,
   * with the same input and execution ARN. `events` is its whole history; ExecutionRedriven is appended (and
   * handed to onEvent) before anything runs again. The states that succeeded are not run again; the state that
   * failed (or was stopped, or timed out) runs again with its retries afresh; in a Parallel or Map only the
   * branches and iterations that did not succeed. Throws ExecutionError ExecutionNotRedrivable with AWS's reason.
   * `annotations` are kept on the ExecutionRedriven event beside AWS's members (a host's bookkeeping, such as the
   * request's client token), as `taskToken` is on TaskScheduled.
   */
  redrive(options: StartOptions, events: HistoryEvent[], annotations?: Record<string, unknown>): Execution {
    checkHistory(events);
    const now = this.host.clock.now();
    const verdict = redriveVerdict(events, options.type, now);
    if (!verdict.redrivable) throw new ExecutionError('ExecutionNotRedrivable', verdict.reason);
    loadMachine(options.definition, options.type);
    if (this.running.has(options.executionArn)) {
      throw new ExecutionError('ExecutionNotRedrivable', 'Execution is RUNNING and cannot be redriven');
    }
    const redriven = { ...annotations, ...redrivenEvent(events, now) };
    this.host.onEvent?.(options.executionArn, redriven);
    return this.launch(options, [...events, redriven]);
  }

  /** Throws TaskError InvalidOutput (the task keeps waiting) when `output` has no JSON form (BigInt, cycles). */
  sendTaskSuccess(token: string, output: unknown): void {
    const callback = this.host.tokens.lookup(token);
    let json: unknown;
    try {
      json = asJson(output).value;
    } catch (error) {
      if (error instanceof NotJsonError)
        throw new TaskError('InvalidOutput', `Invalid Output: 'The output is not JSON: ${error.message}'`);
      throw error;
    }
    callback.complete({ ok: true, output: json });
  }

  sendTaskFailure(token: string, error?: string, cause?: string): void {
    this.host.tokens.lookup(token).complete({ ok: false, error: optionalText(error), cause: optionalText(cause) });
  }

  sendTaskHeartbeat(token: string): void {
    this.host.tokens.lookup(token).heartbeat();
  }

  /**
   * A worker took an activity task (GetActivityTask): records ActivityStarted (with the worker's name, when it gave
   * one) and starts the task's heartbeat. TaskError as sendTaskHeartbeat when the task no longer waits.
   */
  startActivityTask(token: string, workerName?: string): void {
    this.host.tokens.lookup(token).started?.(workerName);
  }

  /** StopExecution: the execution ends ABORTED; a closed or unknown execution is left as it is. */
  stop(executionArn: string, error?: string, cause?: string): void {
    this.running.get(executionArn)?.stop(error, cause);
  }

  /**
   * Ends a running execution FAILED with the host's error and cause (ExecutionFailed), for a limit of the host's
   * own; a closed or unknown execution is left as it is. May be called from onEvent: the event being emitted is
   * the last one before ExecutionFailed.
   */
  fail(executionArn: string, error: string, cause?: string): void {
    this.running.get(executionArn)?.failByHost(error, cause);
  }

  /**
   * TestState: runs one state once (test-state/test-state.ts) with this engine's clock, integrations, region and
   * account; `validateMockResult` checks a mocked Task result against its service's API (the host knows the models).
   */
  testState(
    request: TestStateRequest,
    validateMockResult?: TestStateHost['validateMockResult'],
  ): Promise<TestStateResult> {
    const { clock, integrations, region, accountId } = this.host;
    return testState(request, { clock, integrations, region, accountId, validateMockResult });
  }

  /** The executions this engine is running now. */
  get executions(): ExecutionInfo[] {
    return [...this.running.values()].map((run) => run.info);
  }

  private launch(options: StartOptions, recorded?: HistoryEvent[]): Execution {
    const machine = loadMachine(options.definition, options.type);
    if (this.running.has(options.executionArn)) {
      throw new ExecutionError('ExecutionAlreadyExists', `Execution Already Exists: '${options.executionArn}'`);
    }
    let input: { value: unknown; text: string };
    try {
      input = asJson(options.input);
    } catch (error) {
      if (error instanceof NotJsonError)
        throw new ExecutionError(
          'InvalidExecutionInput',
          `Invalid State Machine Execution Input: 'The input is not JSON: ${error.message}'`,
        );
      throw error;
    }
    const run = new Run(this.host, { ...options, input: input.value }, machine, recorded, input.text);
    this.running.set(options.executionArn, run);
    void run.run(runFrame);
    return run.execution;
  }
}
