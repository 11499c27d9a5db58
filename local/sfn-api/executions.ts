/**
 * Every execution this API has started, live in the engine or read back from disk, and the wiring that
 * makes them durable: each history event is appended to the ExecutionStore as the engine emits it
 * (onEvent), and after a restart every execution that was RUNNING is handed back to the engine with its
 * history (engine.resume) so its task tokens and timers carry on.
 */
import type { Engine, Execution, ExecutionInfo, HistoryEvent, StartOptions } from '@serverless-workflows/sfn-engine';
import type { MockTestCase } from './mock-config/mock-config';
import type { ExecutionMeta } from './model';
import { type ExecutionStore, markFailedAtStart, type StoredExecution } from './store/execution-store';

export interface ExecutionEntry {
  readonly meta: ExecutionMeta;
  /** the engine's handle while this process runs the execution */
  live?: Execution;
  /** what was read from disk for an execution that had ended before this process started */
  stored?: StoredExecution;
}

export class Executions {
  private readonly entries = new Map<string, ExecutionEntry>();
  /** test cases of running mocked executions (an Error when the mock config broke since the start) */
  private readonly testCases = new Map<string, MockTestCase | Error>();
  /** the id of the last event written per open execution: a resumed execution's replayed events are not written twice */
  private readonly lastWrittenEventId = new Map<string, number>();

  constructor(
    private readonly store: ExecutionStore,
    private readonly engine: () => Engine,
    /** told of every execution that ends, once it is recorded (the status change events) */
    private readonly onClosed: (info: ExecutionInfo, meta: ExecutionMeta) => void = () => undefined,
  ) {}

  /** The engine's onEvent hook. */
  recordEvent(executionArn: string, event: HistoryEvent): void {
    const last = this.lastWrittenEventId.get(executionArn);
    if (last !== undefined && event.id <= last) return;
    this.lastWrittenEventId.set(executionArn, event.id);
    this.store.appendEvent(executionArn, event);
    // A history that would outgrow what a start reads back (huge payloads: AWS's 25,000 events come first
    // otherwise) ends here, FAILED, rather than become a file the next start cannot load.
    if (!event.type.startsWith('Execution') && this.store.isFull(executionArn)) {
      this.engine().fail(executionArn, 'States.Runtime', historyTooBigCause(this.store.maxFileBytes));
    }
  }

  /** The engine's onClose hook. */
  recordClose(info: ExecutionInfo): void {
    this.lastWrittenEventId.delete(info.executionArn);
    this.testCases.delete(info.executionArn);
    this.store.close(info);
    const meta = this.entries.get(info.executionArn)?.meta;
    if (meta) this.onClosed(info, meta);
  }

  testCaseOf(executionArn: string): MockTestCase | Error | undefined {
    return this.testCases.get(executionArn);
  }

  get(executionArn: string): ExecutionEntry | undefined {
    return this.entries.get(executionArn);
  }

  all(): ExecutionEntry[] {
    return [...this.entries.values()];
  }

  /** Starts a new execution; the metadata is on disk before the engine emits its first event. */
  start(meta: ExecutionMeta, input: unknown, testCase: MockTestCase | undefined): ExecutionEntry {
    this.store.begin(meta, { resume: false });
    this.lastWrittenEventId.set(meta.executionArn, 0);
    if (testCase) this.testCases.set(meta.executionArn, testCase);
    const entry: ExecutionEntry = { meta };
    this.entries.set(meta.executionArn, entry);
    try {
      entry.live = this.engine().start(startOptions(meta, input));
    } catch (error) {
      this.entries.delete(meta.executionArn);
      this.testCases.delete(meta.executionArn);
      this.lastWrittenEventId.delete(meta.executionArn);
      this.store.discard(meta.executionArn);
      throw error;
    }
    return entry;
  }

  /**
   * RedriveExecution: the engine continues the ended execution in the same file (ExecutionRedriven first, then
   * what runs again), with its mock test case again when it ran one. Nothing is written when the engine refuses
   * (ExecutionError ExecutionNotRedrivable).
   */
  redrive(
    entry: ExecutionEntry,
    testCase: MockTestCase | undefined,
    annotations: Record<string, unknown>,
  ): ExecutionEntry {
    const { meta } = entry;
    const events = [...eventsOf(entry)];
    this.store.begin(meta, { resume: true });
    this.lastWrittenEventId.set(meta.executionArn, events.at(-1)?.id ?? 0);
    if (testCase) this.testCases.set(meta.executionArn, testCase);
    try {
      entry.live = this.engine().redrive(startOptions(meta, JSON.parse(meta.input)), events, annotations);
    } catch (error) {
      this.store.release(meta.executionArn);
      this.lastWrittenEventId.delete(meta.executionArn);
      this.testCases.delete(meta.executionArn);
      throw error;
    }
    delete entry.stored;
    return entry;
  }

  /**
   * Takes the executions read from disk: ended ones are kept for describe/list/history, running ones are
   * resumed. Returns the problems met, one line each: an execution that cannot be resumed is listed as FAILED
   * (States.Runtime, the reason in its cause), in memory only, and the others come up all the same.
   */
  restore(
    stored: StoredExecution[],
    resolveTestCase: (meta: ExecutionMeta) => MockTestCase | Error | undefined,
  ): string[] {
    const problems: string[] = [];
    for (const execution of stored) {
      const { meta } = execution;
      const entry: ExecutionEntry = { meta, stored: execution };
      this.entries.set(meta.executionArn, entry);
      if (execution.closed) continue;
      const testCase = resolveTestCase(meta);
      if (testCase) this.testCases.set(meta.executionArn, testCase);
      this.store.begin(meta, { resume: true });
      this.lastWrittenEventId.set(meta.executionArn, execution.events.at(-1)?.id ?? 0);
      try {
        const options = startOptions(meta, JSON.parse(meta.input));
        // No event at all: the process died between writing the metadata and the engine's first event.
        entry.live =
          execution.events.length === 0
            ? this.engine().start(options)
            : this.engine().resume(options, execution.events);
      } catch (error) {
        const file = this.store.fileOf(meta.executionArn);
        const reason = `it cannot be resumed (${(error as Error).message})`;
        this.store.release(meta.executionArn);
        this.lastWrittenEventId.delete(meta.executionArn);
        this.testCases.delete(meta.executionArn);
        markFailedAtStart(execution, reason, file);
        problems.push(`execution ${meta.executionArn} (${file}): ${reason}; listed as FAILED (States.Runtime)`);
        continue;
      }
      // An execution whose end was recorded but not its close line ends during the replay, without onClose.
      void entry.live.done.then((info) => this.recordClose(info));
    }
    return problems;
  }
}

/** Local only: AWS keeps histories of any size (25,000 events at most), this server keeps what a start can read. */
export function historyTooBigCause(maxFileBytes: number): string {
  const mib = Math.round((maxFileBytes / 1024 / 1024) * 100) / 100;
  return `The execution's history reached 7/8 of the ${mib} MiB the local Step Functions API reads back at start (a local limit: AWS has none but its 25,000 events).`;
}

function startOptions(meta: ExecutionMeta, input: unknown): StartOptions {
  return {
    definition: meta.stateMachine.definition,
    stateMachineArn: meta.stateMachineArn,
    stateMachineName: meta.stateMachineName,
    executionArn: meta.executionArn,
    name: meta.name,
    input,
    type: meta.type,
    roleArn: meta.stateMachine.roleArn,
  };
}

/** An execution's current summary: the engine's while it runs here, the recorded one otherwise. */
export function infoOf(entry: ExecutionEntry): ExecutionInfo {
  if (entry.live) return entry.live.info;
  if (entry.stored?.closed) return entry.stored.closed;
  // Only while it is being restored: what its history says.
  const started = entry.stored?.events[0];
  return {
    executionArn: entry.meta.executionArn,
    stateMachineArn: entry.meta.stateMachineArn,
    name: entry.meta.name,
    status: 'RUNNING',
    startDate: started?.timestamp ?? 0,
    input: JSON.parse(entry.meta.input),
  };
}

export function eventsOf(entry: ExecutionEntry): readonly HistoryEvent[] {
  return entry.live?.events ?? entry.stored?.events ?? [];
}
