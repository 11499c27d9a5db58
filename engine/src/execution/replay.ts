/**
 * Rebuilding an execution from its history. The interpreter runs the definition again from the start; while
 * recorded events remain, every event it would emit is taken from the record instead (same id, time and details),
 * and every outcome it would wait for (a task result, a Wait's end, a retry) is read from the record. Async
 * outcomes are released in recorded order, so concurrent branches interleave as they did. When the record is used
 * up the execution simply goes on live.
 */
import type { HistoryEvent } from './history';

export class ReplayDivergence extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayDivergence';
  }
}

export class Replay {
  private cursor = 0;
  private waiters: Array<{ index: number; resolve(): void }> = [];

  constructor(private readonly recorded: readonly HistoryEvent[]) {}

  get active(): boolean {
    return this.cursor < this.recorded.length;
  }

  /** Takes the next recorded event, which must be of the type the interpreter is about to emit. */
  consume(type: string): HistoryEvent {
    const event = this.recorded[this.cursor];
    if (event.type !== type) {
      throw new ReplayDivergence(
        `event #${event.id} is ${event.type} in the history but the definition produced ${type}`,
      );
    }
    this.cursor++;
    this.release();
    return event;
  }

  /**
   * The recorded event that followed `previousEventId` (one of `types`, or any type when omitted), searching only
   * what is not consumed yet.
   */
  successor(previousEventId: number, types?: ReadonlySet<string>): { index: number; event: HistoryEvent } | undefined {
    for (let i = this.cursor; i < this.recorded.length; i++) {
      const event = this.recorded[i];
      if (event.previousEventId === previousEventId && (!types || types.has(event.type))) return { index: i, event };
    }
    return undefined;
  }

  /** Resolves when the event at `index` is the next one to consume (or the record is used up). */
  turn(index: number): Promise<void> {
    if (this.cursor >= index) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ index, resolve }));
  }

  /** Resolves when every recorded event has been consumed. */
  finished(): Promise<void> {
    return this.turn(this.recorded.length);
  }

  /** Abandons the record (on divergence): everyone waiting goes on live. */
  abandon(): void {
    this.cursor = this.recorded.length;
    this.release();
  }

  private release(): void {
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.index <= this.cursor);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.index > this.cursor);
    for (const w of ready) w.resolve();
  }
}
