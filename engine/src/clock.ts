/**
 * Time for the engine. The engine never reads Date.now() nor calls setTimeout: every Wait, retry back-off,
 * heartbeat and timeout goes through an injected Clock, so tests and the host can move time at will.
 */
export interface Clock {
  /** epoch ms */
  now(): number;
  /** Resolves when the clock reaches epochMs; rejects with the signal's reason when aborted first. */
  sleepUntil(epochMs: number, signal: AbortSignal): Promise<void>;
}

interface Timer {
  at: number;
  seq: number;
  resolve(): void;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}

/**
 * A clock that only moves when told to. `advance(ms)` fires every timer due on the way, in time order,
 * letting the woken code run (one macrotask turn per timer) before the next one fires.
 */
export class VirtualClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private seq = 0;

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

/** Node's setTimeout cannot wait longer than 2^31-1 ms: longer sleeps are re-armed in steps. */
const MAX_TIMEOUT_MS = 2_147_483_647;

interface SystemTimer {
  at: number;
  handle?: ReturnType<typeof setTimeout>;
  resolve(): void;
}

/** Real time plus an offset that `advance` moves forward (the local runtime's /_local/clock). */
export class SystemClock implements Clock {
  private offset = 0;
  private timers = new Set<SystemTimer>();

  now(): number {
    return Date.now() + this.offset;
  }

  sleepUntil(epochMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    if (epochMs <= this.now()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer: SystemTimer = {
        at: epochMs,
        resolve: () => {
          this.timers.delete(timer);
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        if (timer.handle) clearTimeout(timer.handle);
        this.timers.delete(timer);
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.timers.add(timer);
      this.arm(timer);
    });
  }

  /** Moves time forward by ms: timers now due fire at once. */
  advance(ms: number): void {
    this.offset += Math.max(0, ms);
    for (const timer of [...this.timers]) {
      if (timer.handle) clearTimeout(timer.handle);
      this.arm(timer);
    }
  }

  private arm(timer: SystemTimer): void {
    const delay = timer.at - this.now();
    if (delay <= 0) {
      timer.resolve();
      return;
    }
    timer.handle = setTimeout(() => this.arm(timer), Math.min(delay, MAX_TIMEOUT_MS));
  }
}
