/**
 * One execution: its history (the source of truth), its status, its lifecycle (start, resume, stop, time-out)
 * and the services states need (clock, integrations, tokens). Running its states is run-frame.ts's.
 */
import type { Machine } from '../asl/machine';
import type { ActivityHost } from '../integration/activities';
import type { TokenRegistry } from '../integration/task-tokens';
import type { Integrations } from '../integration/integrations';
import type { MapRunHost } from '../integration/map-runs';
import { boundedJson } from '../json/payload-size';
import type { Clock } from '../time/clock';
import { StatesError } from '../errors/states-error';
import { formatTimestamp } from '../time/timestamp';
import type { TestSession } from '../test-state/session';
import { VariableScope } from '../variables/scope';
import type { Execution, ExecutionInfo, ExecutionStatus, StartOptions } from './execution';
import { EXECUTION_CLOSED, Failure } from './failure';
import type { Frame } from './frame';
import { detailsKey, type HistoryEvent } from './history';
import { HISTORY_LIMIT_CAUSE, HISTORY_LIMIT_ERROR, MAX_EXECUTION_MS, MAX_HISTORY_EVENTS } from './quotas';

// Read once: emit is the hottest code there is, and a bundler's import of a constant can be a getter call.
/** The last id a history may give an event that does not close the execution. */
const LAST_ID_BEFORE_LIMIT = MAX_HISTORY_EVENTS - 1;
const MAX_STANDARD_MS = MAX_EXECUTION_MS.STANDARD;
const MAX_EXPRESS_MS = MAX_EXECUTION_MS.EXPRESS;
import { RedriveRecord, RedriveRestart } from './redrive-record';
import { Replay, ReplayDivergence } from './replay';

/** What a run needs from its engine. */
export interface RunHost {
  clock: Clock;
  integrations: Integrations;
  activities?: ActivityHost;
  mapRuns?: MapRunHost;
  region: string;
  accountId: string;
  tokens: TokenRegistry;
  onEvent?(executionArn: string, event: HistoryEvent): void;
  onClose?(execution: ExecutionInfo): void;
  closed(run: Run): void;
}

/** Runs a frame's states to its end (run-frame.ts's runFrame, handed over by the engine). */
export type FrameRunner = (run: Run, frame: Frame, input: unknown) => Promise<unknown>;

export class Run {
  readonly info: ExecutionInfo;
  /**
   * The history. A STANDARD one ends at MAX_HISTORY_EVENTS; an EXPRESS one (unlimited in AWS, where it goes to
   * CloudWatch Logs) keeps its first MAX_HISTORY_EVENTS - 1 events and its closing event, the others only counted.
   */
  readonly events: HistoryEvent[] = [];
  /** Ids given so far: events.length, unless an EXPRESS history dropped some. */
  private eventCount = 0;
  /** Cancels the timer of the machine's TimeoutSeconds or AWS's maximum execution time. */
  private cancelTimeout?: () => void;
  readonly done: Promise<ExecutionInfo>;
  readonly execution: Execution;
  /** Aborted when the execution closes: every timer and task of the execution listens to it. */
  private readonly lifetime = new AbortController();
  private resolveDone!: (info: ExecutionInfo) => void;
  private replay?: Replay;
  private replayTime = 0;
  /** The record of a redriven execution (redrive-record.ts), instead of `replay`. */
  private redrive?: RedriveRecord;
  /** While redriven: the id of the latest event emitted or taken from the record (events are not in id order). */
  private latest = 0;
  /** The id of the last recorded event this run was given (0 for a new execution). */
  private readonly recordedThrough: number;
  /** Per state name: how many times its task was invoked (TaskRequest.attempt, mock counters). */
  readonly invocations = new Map<string, number>();
  private executionContext?: Record<string, unknown>;
  readonly contextStateMachine: Record<string, unknown>;
  /** Set when this run is a TestState call (test-state/test-state.ts): its mock, configuration and inspection. */
  testState?: TestSession;

  constructor(
    readonly host: RunHost,
    readonly options: StartOptions,
    readonly machine: Machine,
    recorded: readonly HistoryEvent[] | undefined,
    /** The input's JSON text (the engine checked the input is JSON before starting). */
    private readonly inputText: string,
  ) {
    this.recordedThrough = recorded?.[recorded.length - 1]?.id ?? 0;
    const redriven = recorded?.filter((event) => event.type === 'ExecutionRedriven') ?? [];
    if (redriven.length > 0) {
      // The earlier attempts' events stay in the history as they are; this attempt's follow them.
      this.redrive = new RedriveRecord(recorded!);
      this.events.push(...recorded!);
      this.eventCount = this.recordedThrough;
    } else if (recorded && recorded.length > 0) this.replay = new Replay(recorded);
    this.info = {
      executionArn: options.executionArn,
      stateMachineArn: options.stateMachineArn,
      name: options.name,
      status: 'RUNNING',
      startDate: recorded?.[0]?.timestamp ?? host.clock.now(),
      input: options.input,
    };
    if (redriven.length > 0) {
      this.info.redriveCount = redriven.length;
      this.info.redriveDate = redriven[redriven.length - 1].timestamp;
    }
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    const run = this;
    this.execution = {
      get info() {
        return run.info;
      },
      get events() {
        return run.events;
      },
      done: this.done,
    };
    this.contextStateMachine = { Id: options.stateMachineArn, Name: options.stateMachineName };
  }

  /** The context object's Execution member (built on first use: most executions never read it). */
  get contextExecution(): Record<string, unknown> {
    const { options } = this;
    this.executionContext ??= {
      Id: options.executionArn,
      Input: options.input,
      Name: options.name,
      RoleArn: options.roleArn ?? `arn:aws:iam::${this.host.accountId}:role/StepFunctionsRole`,
      StartTime: formatTimestamp(this.info.startDate),
      RedriveCount: this.info.redriveCount ?? 0,
      ...(this.info.redriveDate !== undefined ? { RedriveTime: formatTimestamp(this.info.redriveDate) } : {}),
    };
    return this.executionContext;
  }

  get signal(): AbortSignal {
    return this.lifetime.signal;
  }

  get closed(): boolean {
    return this.info.status !== 'RUNNING';
  }

  get replaying(): boolean {
    return this.replay?.active ?? false;
  }

  /** The current time: while replaying, the time of the latest replayed event. */
  now(): number {
    return this.replay?.active ? this.replayTime : this.host.clock.now();
  }

  /**
   * Appends an event (or, while replaying, takes the recorded one). `frame` gets the event as its latest;
   * `previousEventId` overrides the frame's latest as the event's predecessor.
   */
  emit(
    frame: Frame | null,
    type: string,
    details?: Record<string, unknown>,
    previousEventId?: number,
    extra?: Record<string, unknown>,
  ): HistoryEvent {
    if (this.closed && !type.startsWith('Execution')) throw EXECUTION_CLOSED;
    if (frame?.signal.aborted) throw frame.signal.reason;
    // The next event would be the last one the quota allows, and it must be the closing one.
    const full = this.eventCount >= LAST_ID_BEFORE_LIMIT && !type.startsWith('Execution');
    if (full && this.options.type !== 'EXPRESS') {
      this.fail(HISTORY_LIMIT_ERROR, HISTORY_LIMIT_CAUSE);
      throw EXECUTION_CLOSED;
    }
    let event: HistoryEvent;
    if (this.redrive) return this.emitRedriven(frame, type, details, previousEventId, extra, full);
    if (this.replay?.active) {
      event = this.replay.consume(type);
      this.replayTime = event.timestamp;
      this.eventCount = event.id;
    } else {
      event = {
        id: this.eventCount + 1,
        previousEventId: previousEventId ?? frame?.lastEventId ?? this.eventCount,
        type,
        timestamp: this.host.clock.now(),
      };
      if (details) event[detailsKey(type)] = details;
      if (extra) Object.assign(event, extra);
      this.eventCount = event.id;
      if (frame) frame.lastEventId = event.id;
      if (full) return event; // EXPRESS: counted, not kept
      this.events.push(event);
      this.host.onEvent?.(this.info.executionArn, event);
      return event;
    }
    this.events.push(event);
    if (frame) frame.lastEventId = event.id;
    return event;
  }

  /**
   * `*StateAborted` / `MapIterationAborted` for a branch stopped because a sibling failed: emitted although the
   * branch's signal is aborted (nothing else may be), never after the execution closed. No details, like AWS.
   */
  emitAborted(frame: Frame, type: string, details?: Record<string, unknown>, previousEventId?: number): void {
    if (this.closed) return;
    const signal = frame.signal;
    frame.signal = this.signal;
    try {
      this.emit(frame, type, details, previousEventId);
    } finally {
      frame.signal = signal;
    }
  }

  /**
   * A redriven execution's event: the recorded one when the record has it (what succeeded is not run again),
   * otherwise a new one, whose id follows the whole history.
   */
  private emitRedriven(
    frame: Frame | null,
    type: string,
    details: Record<string, unknown> | undefined,
    previousEventId: number | undefined,
    extra: Record<string, unknown> | undefined,
    full: boolean,
  ): HistoryEvent {
    const redrive = this.redrive as RedriveRecord;
    const predecessor = previousEventId ?? frame?.lastEventId ?? this.latest;
    const recorded = redrive.take(type, predecessor, details);
    const event: HistoryEvent = recorded ?? {
      id: this.eventCount + 1,
      previousEventId: redrive.livePredecessor(predecessor, type),
      type,
      timestamp: this.host.clock.now(),
    };
    this.latest = event.id;
    if (frame) frame.lastEventId = event.id;
    if (recorded) return recorded;
    if (details) event[detailsKey(type)] = details;
    if (extra) Object.assign(event, extra);
    this.eventCount = event.id;
    if (full) return event;
    this.events.push(event);
    this.host.onEvent?.(this.info.executionArn, event);
    return event;
  }

  lastEventId(): number {
    return this.redrive ? this.latest : this.eventCount;
  }

  /** Whether emitting `type` in `frame` now takes the recorded event (a replayed state exits as it did). */
  fromRecord(frame: Frame, type: string, details?: Record<string, unknown>): boolean {
    if (this.redrive) return this.redrive.find(type, frame.lastEventId, details) !== undefined;
    return this.replaying;
  }

  /** Whether this run continues a redriven execution (RedriveExecution, or the resume of one). */
  get redriven(): boolean {
    return this.redrive !== undefined;
  }

  /**
   * Whether a frame of a redriven execution is still in an attempt that a redrive ended (its latest event came
   * before the latest ExecutionRedriven): what it was doing then is done again.
   */
  inEndedAttempt(frame: Frame): boolean {
    return this.redrive?.interrupted(frame.lastEventId) ?? false;
  }

  /** Whether a redriven execution's record has a `type` event right after the frame's latest event, not taken yet. */
  followedInRecord(frame: Frame, type: string): boolean {
    return this.redrive?.successor(frame.lastEventId, new Set([type])) !== undefined;
  }

  /** Whether the state entered at `entered` left in the record of a redriven execution (redrive-record.ts). */
  exitedInRecord(entered: HistoryEvent): boolean {
    return this.redrive !== undefined && this.isRecorded(entered) && this.redrive.exited(entered);
  }

  /** Whether an event came from the record this run was given rather than from this run. */
  isRecorded(event: HistoryEvent): boolean {
    return event.id <= this.recordedThrough;
  }

  /**
   * Whether a state of a redriven execution runs again: it failed, or was interrupted (`error` is then a
   * RedriveRestart), in an attempt that a redrive ended. A state that fails in the current attempt fails.
   */
  runsAgain(frame: Frame, error: unknown): boolean {
    if (!this.redrive || this.closed || frame.settled) return false;
    if (!(error instanceof RedriveRestart) && !(error instanceof StatesError)) return false;
    return this.redrive.interrupted(frame.lastEventId);
  }

  /**
   * Before waiting for something asynchronous (a task result, a timer): while replaying, the recorded event that
   * followed the frame's latest event (one of `types`, any when omitted), once it is its turn; undefined when the
   * record has no such event (the wait happens live, after the rest of the record is replayed).
   */
  async recorded(frame: Frame, types?: ReadonlySet<string>): Promise<HistoryEvent | undefined> {
    const redrive = this.redrive;
    if (redrive) {
      const hit = redrive.successor(frame.lastEventId, types);
      if (hit) return hit;
      // What this state waited for never came: a redrive ended its attempt (run-frame.ts runs the state again).
      if (redrive.interrupted(frame.lastEventId)) throw new RedriveRestart();
      return undefined;
    }
    const replay = this.replay;
    if (!replay?.active) return undefined;
    const hit = replay.successor(frame.lastEventId, types);
    if (hit) {
      await replay.turn(hit.index);
      return hit.event;
    }
    await replay.finished();
    return undefined;
  }

  /** Waits until `epochMs` on the clock, or rejects when `signal` (or the execution) aborts. */
  async sleepUntil(epochMs: number, signal: AbortSignal): Promise<void> {
    await this.host.clock.sleepUntil(epochMs, signal);
    if (this.closed) throw EXECUTION_CLOSED;
  }

  /** Runs the execution to its end. */
  async run(body: FrameRunner): Promise<void> {
    const { options } = this;
    const started = this.emit(null, 'ExecutionStarted', {
      input: this.inputText,
      inputDetails: { truncated: false },
      ...(options.roleArn ? { roleArn: options.roleArn } : {}),
    });
    this.info.startDate = started.timestamp;
    // A redriven execution's TimeoutSeconds counts from its redrive.
    this.armMachineTimeout(this.info.redriveDate ?? started.timestamp);
    const frame: Frame = {
      states: this.machine.definition.States,
      startAt: this.machine.definition.StartAt,
      queryLanguage: this.machine.queryLanguage,
      vars: new VariableScope(),
      // AWS quirk: the first state's *StateEntered has previousEventId 0, not 1.
      lastEventId: 0,
      signal: this.signal,
    };
    try {
      const output = await body(this, frame, options.input);
      const text = boundedJson(output);
      if (text === undefined) {
        throw new Failure(
          'States.DataLimitExceeded',
          'The execution output exceeds the maximum number of bytes service limit.',
        );
      }
      this.finish('SUCCEEDED', 'ExecutionSucceeded', { output: text, outputDetails: { truncated: false } }, { output });
    } catch (error) {
      if (this.closed) return;
      if (error instanceof Failure) {
        this.fail(error.error, error.cause);
      } else if (error instanceof ReplayDivergence) {
        this.replay?.abandon();
        this.fail('States.Runtime', `The execution could not be resumed from its history: ${error.message}`);
      } else {
        this.fail('States.Runtime', `Internal engine error: ${(error as Error)?.message ?? String(error)}`);
      }
    }
  }

  fail(error: string | undefined, cause: string | undefined): void {
    const details: Record<string, unknown> = {};
    if (error !== undefined) details.error = error;
    if (cause !== undefined) details.cause = cause;
    this.finish('FAILED', 'ExecutionFailed', details, { error, cause });
  }

  /** Engine.fail: the host ends the execution FAILED, for a limit of its own (replayed or not). */
  failByHost(error: string, cause: string | undefined): void {
    if (this.closed) return;
    this.replay?.abandon();
    this.fail(error, cause);
  }

  /** StopExecution: ExecutionAborted with previousEventId 0, as AWS records it. */
  stop(error?: string, cause?: string): void {
    if (this.closed) return;
    const details: Record<string, unknown> = {};
    if (error !== undefined) details.error = error;
    if (cause !== undefined) details.cause = cause;
    this.replay?.abandon();
    this.finish('ABORTED', 'ExecutionAborted', details, { error, cause }, 0);
  }

  /** The machine's TimeoutSeconds, or AWS's maximum execution time when that comes first (or there is none). */
  private armMachineTimeout(startMs: number): void {
    const seconds = this.machine.definition.TimeoutSeconds;
    const maximum = this.options.type === 'EXPRESS' ? MAX_EXPRESS_MS : MAX_STANDARD_MS;
    const timeoutMs = typeof seconds === 'number' ? Math.min(seconds * 1000, maximum) : maximum;
    const { clock } = this.host;
    // Every execution has a limit, and nearly every one ends before it: a deadline, cancelled at the end, is cheaper.
    if (clock.deadline) this.cancelTimeout = clock.deadline(startMs + timeoutMs, () => void this.timeOut());
    else
      clock.sleepUntil(startMs + timeoutMs, this.signal).then(
        () => this.timeOut(),
        () => undefined,
      );
  }

  private async timeOut(): Promise<void> {
    await this.replay?.finished();
    if (this.closed) return;
    this.finish('TIMED_OUT', 'ExecutionTimedOut', { error: 'States.Timeout' }, { error: 'States.Timeout' });
  }

  private finish(
    status: ExecutionStatus,
    type: string,
    details: Record<string, unknown>,
    result: { output?: unknown; error?: string; cause?: string },
    previousEventId?: number,
  ): void {
    if (this.closed) return;
    const live = !this.replay?.active;
    const event = this.emit(null, type, details, previousEventId);
    this.info.status = status;
    this.info.stopDate = event.timestamp;
    if (result.output !== undefined) this.info.output = result.output;
    if (result.error !== undefined) this.info.error = result.error;
    if (result.cause !== undefined) this.info.cause = result.cause;
    this.cancelTimeout?.();
    this.lifetime.abort(EXECUTION_CLOSED);
    this.host.tokens.closeExecution(this.info.executionArn);
    this.host.closed(this);
    if (live) this.host.onClose?.(this.info);
    this.resolveDone(this.info);
  }
}
