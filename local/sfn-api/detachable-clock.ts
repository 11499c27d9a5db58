/**
 * The clock the server gives its engine: the shared SystemClock, plus a switch that cancels every pending
 * sleep when the server closes, so a closed server leaves no timers behind (a Wait of a year would
 * otherwise keep the process alive). Nothing is persisted by that cancellation: the stores are detached first.
 */
import type { Clock } from '@serverless-workflows/sfn-engine';

export class DetachableClock implements Clock {
  private readonly detached = new AbortController();
  private readonly deadlines = new Set<() => void>();

  constructor(private readonly inner: Clock) {}

  now(): number {
    return this.inner.now();
  }

  sleepUntil(epochMs: number, signal: AbortSignal): Promise<void> {
    return this.inner.sleepUntil(epochMs, AbortSignal.any([signal, this.detached.signal]));
  }

  /** The inner clock's deadline, cancelled too when the server closes. */
  deadline(epochMs: number, reached: () => void): () => void {
    if (this.detached.signal.aborted) return () => undefined;
    if (!this.inner.deadline) {
      const controller = new AbortController();
      this.sleepUntil(epochMs, controller.signal).then(reached, () => undefined);
      return () => controller.abort();
    }
    const cancel = this.inner.deadline(epochMs, () => {
      this.deadlines.delete(cancel);
      reached();
    });
    this.deadlines.add(cancel);
    return () => {
      this.deadlines.delete(cancel);
      cancel();
    };
  }

  /** The inner clock's pacing: a looping execution lets the server answer between its slices. */
  pace(): Promise<void> | undefined {
    return this.inner.pace?.();
  }

  detach(): void {
    this.detached.abort(new Error('The Step Functions API server closed'));
    for (const cancel of this.deadlines) cancel();
    this.deadlines.clear();
  }
}
