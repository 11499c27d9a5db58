/**
 * The record a redriven execution runs against (RedriveExecution, and the resume of an execution that was
 * redriven). AWS keeps the events of the earlier attempts and does not run again what succeeded: the interpreter
 * runs the definition from the start and takes each event it would emit from this record, looked up by the event it
 * follows (its previousEventId) and its type, so every frame (the top level, each Parallel branch, each Map
 * iteration) replays on its own, in any order. A frame whose next event is not in the record goes on live: the state
 * that failed, timed out or was aborted runs again (run-frame.ts), and so does everything after it.
 *
 * Unlike Replay (a resumed execution that was never redriven), nothing here waits for its turn in the record: the
 * events of a failed or aborted branch are never produced again, so a recorded order cannot be waited for.
 */
import { eventDetails, type HistoryEvent } from './history';

/** Emitted after their branches or iterations, with a predecessor that depends on which of them ended last. */
const AFTER_CHILDREN = new Set([
  'ParallelStateSucceeded',
  'ParallelStateExited',
  'MapStateSucceeded',
  'MapStateExited',
  'MapRunSucceeded',
  'MapIterationStarted',
]);

/** The events that close an execution: never taken from the record (each attempt closes on its own). */
const CLOSING = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);

/** Thrown where a replayed state waited for something its attempt never got (it was aborted): it runs again. */
export class RedriveRestart extends Error {
  constructor() {
    super('the state runs again on redrive');
    this.name = 'RedriveRestart';
  }
}

export class RedriveRecord {
  private readonly byPredecessor = new Map<number, HistoryEvent[]>();
  private readonly byType = new Map<string, HistoryEvent[]>();
  private readonly consumed = new Set<number>();
  /** Per state name: its *StateEntered and *StateExited events, in id order. */
  private readonly byState = new Map<string, HistoryEvent[]>();
  /** Ids of the ExecutionRedriven events, ascending. */
  private readonly redriven: number[] = [];

  constructor(events: readonly HistoryEvent[]) {
    for (const event of events) {
      if (event.type === 'ExecutionRedriven') this.redriven.push(event.id);
      if (CLOSING.has(event.type) || event.type === 'ExecutionRedriven') continue;
      push(this.byPredecessor, event.previousEventId, event);
      if (AFTER_CHILDREN.has(event.type)) push(this.byType, event.type, event);
      if (event.type.endsWith('StateEntered') || event.type.endsWith('StateExited')) {
        push(this.byState, eventDetails(event).name as string, event);
      }
    }
  }

  /** The id of the latest ExecutionRedriven event: the attempt now running began there. */
  get lastRedriven(): number {
    return this.redriven[this.redriven.length - 1] ?? 0;
  }

  /**
   * Whether a frame whose latest event is `eventId` belongs to an attempt that a redrive ended: what it was doing
   * (a failed state, an interrupted wait) is done again.
   */
  interrupted(eventId: number): boolean {
    return eventId < this.lastRedriven;
  }

  /**
   * Whether the state entered at `entered` left in the record (its next event of that name is its *StateExited):
   * a Parallel or Map that did (its Catch took a branch's failure, a Retry succeeded, its iterations' failures were
   * tolerated) is replayed as it was, failures included.
   */
  exited(entered: HistoryEvent): boolean {
    const events = this.byState.get(eventDetails(entered).name as string) ?? [];
    const next = events[events.indexOf(entered) + 1];
    return next?.type.endsWith('StateExited') ?? false;
  }

  /** The predecessor a live event gets: one that would follow an earlier attempt's event follows the redrive. */
  livePredecessor(previousEventId: number, type: string): number {
    return !CLOSING.has(type) && previousEventId < this.lastRedriven ? this.lastRedriven : previousEventId;
  }

  /** The recorded event the interpreter is about to emit, if the record has it; it is not taken. */
  find(type: string, previousEventId: number, details?: Record<string, unknown>): HistoryEvent | undefined {
    if (CLOSING.has(type)) return undefined;
    const direct = this.first(this.byPredecessor.get(previousEventId), type, details);
    if (direct) return direct;
    // The first event of a state run again by a redrive follows that redrive's ExecutionRedriven.
    const redrive = this.redriven.find((id) => id > previousEventId);
    if (redrive !== undefined) {
      const rerun = this.first(this.byPredecessor.get(redrive), type, details);
      if (rerun) return rerun;
    }
    if (!AFTER_CHILDREN.has(type)) return undefined;
    return this.first(this.byType.get(type), type, details, (event) => this.consumed.has(event.previousEventId));
  }

  /** Takes the recorded event the interpreter is about to emit, if the record has it. */
  take(type: string, previousEventId: number, details?: Record<string, unknown>): HistoryEvent | undefined {
    const event = this.find(type, previousEventId, details);
    if (event) this.consumed.add(event.id);
    return event;
  }

  /** The recorded event that followed `previousEventId` (one of `types`, any when omitted), not taken yet. */
  successor(previousEventId: number, types?: ReadonlySet<string>): HistoryEvent | undefined {
    return this.byPredecessor
      .get(previousEventId)
      ?.find((event) => !this.consumed.has(event.id) && (!types || types.has(event.type)));
  }

  private first(
    events: HistoryEvent[] | undefined,
    type: string,
    details: Record<string, unknown> | undefined,
    accept: (event: HistoryEvent) => boolean = () => true,
  ): HistoryEvent | undefined {
    return events?.find(
      (event) => event.type === type && !this.consumed.has(event.id) && sameSubject(event, details) && accept(event),
    );
  }
}

function push<K>(index: Map<K, HistoryEvent[]>, k: K, event: HistoryEvent): void {
  const list = index.get(k);
  if (list) list.push(event);
  else index.set(k, [event]);
}

/**
 * Whether a recorded event is about the same state (and Map iteration, or map run) as the one about to be emitted:
 * states run again in several branches or iterations, and map runs redriven in several, all follow the same
 * ExecutionRedriven.
 */
const SUBJECT_OF_STATE = ['name', 'index', 'input'] as const;
const SUBJECT_OF_MAP_RUN = ['mapRunArn'] as const;

function sameSubject(event: HistoryEvent, details: Record<string, unknown> | undefined): boolean {
  if (!details) return true;
  const recorded = eventDetails(event);
  // MapRunStarted is asked for with a new ARN each time (the recorded one is kept): only a redrive names its map run.
  const fields = event.type === 'MapRunRedriven' ? SUBJECT_OF_MAP_RUN : SUBJECT_OF_STATE;
  for (const field of fields) {
    if (details[field] !== undefined && recorded[field] !== undefined && recorded[field] !== details[field]) {
      return false;
    }
  }
  return true;
}
