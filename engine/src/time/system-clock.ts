import { abortReason, type Clock } from './clock';
import { HostTurns } from './host-turns';

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
  private readonly turns = new HostTurns({ states: 1000, ms: 10, now: () => performance.now() });

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

  deadline(epochMs: number, reached: () => void): () => void {
    let cancelled = false;
    if (epochMs <= this.now()) {
      queueMicrotask(() => cancelled || reached());
      return () => {
        cancelled = true;
      };
    }
    const timer: SystemTimer = {
      at: epochMs,
      resolve: () => {
        this.timers.delete(timer);
        reached();
      },
    };
    this.timers.add(timer);
    this.arm(timer);
    return () => {
      if (timer.handle) clearTimeout(timer.handle);
      this.timers.delete(timer);
    };
  }

  /** A turn for the host once states have run for 10 ms of real time (or 1000 of them) since its last one. */
  pace(): Promise<void> | undefined {
    return this.turns.next();
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
