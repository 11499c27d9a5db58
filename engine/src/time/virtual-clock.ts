import { abortReason, type Clock } from './clock';
import { HostTurns } from './host-turns';

interface Timer {
  at: number;
  seq: number;
  resolve(): void;
}

/**
 * A clock that only moves when told to. `advance(ms)` fires every timer due on the way, in time order,
 * letting the woken code run (one macrotask turn per timer) before the next one fires.
 */
export class VirtualClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private seq = 0;
  private readonly turns = new HostTurns({ states: 1000 });

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  sleepUntil(epochMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    if (epochMs <= this.current) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer: Timer = {
        at: epochMs,
        seq: this.seq++,
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  deadline(epochMs: number, reached: () => void): () => void {
    let cancelled = false;
    if (epochMs <= this.current) {
      queueMicrotask(() => cancelled || reached());
      return () => {
        cancelled = true;
      };
    }
    const timer: Timer = { at: epochMs, seq: this.seq++, resolve: reached };
    this.timers.push(timer);
    return () => {
      const index = this.timers.indexOf(timer);
      if (index >= 0) this.timers.splice(index, 1);
    };
  }

  /** A turn for the host every 1000 states: no time passes while states run, so states are all it counts. */
  pace(): Promise<void> | undefined {
    return this.turns.next();
  }

  /** The time of the earliest pending timer, if any (lets a runner jump straight to it). */
  nextTimerAt(): number | undefined {
    let next: number | undefined;
    for (const t of this.timers) if (next === undefined || t.at < next) next = t.at;
    return next;
  }

  /** Number of pending timers. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  async advance(ms: number): Promise<void> {
    const target = this.current + Math.max(0, ms);
    await settle();
    for (;;) {
      const due = this.earliestDue(target);
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.resolve();
      await settle();
    }
    this.current = Math.max(this.current, target);
  }

  private earliestDue(target: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) {
      if (t.at > target) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

/** Lets promise chains woken by a timer run before the clock moves on. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
