/**
 * What the load phases of the reservations benchmark measured, recorded the same way whether the requests went
 * through HTTP (autocannon) or straight to the Lambda runner: throughput, latency percentiles, the mix of outcomes
 * with a few examples of anything unexpected (a 5xx, another status, a transport error: each one a finding), and
 * where /proc tells, the CPU each part of the system spent per request. A path measured in several rounds
 * (alternated with its peer, so the machine's drifting load hits both alike) adds its rounds up in one recorder.
 */
import type { CpuByRole } from './process-cpu';

/** success: the answer asked for (a confirmation, a 200); unavailable: 409 RoomUnavailable, a valid answer too. */
export type Outcome = 'success' | 'unavailable' | 'other' | 'error';

export interface LoadResult {
  /** Answered requests (any outcome) per second of the measured rounds. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  counts: Record<Outcome, number>;
  /** Up to MAX_EXAMPLES distinct descriptions of 'other' and 'error' outcomes. */
  unexpected: string[];
  durationS: number;
  /** CPU milliseconds per request of each part of the system, where /proc tells. */
  cpuMsPerRequest?: CpuByRole;
}

const MAX_EXAMPLES = 5;

/**
 * The nearest-rank percentile of `sorted` (ascending). Written out because it is one line over a sorted array of a
 * few thousand samples, and the same function then serves the HTTP and the direct phases alike.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export class LoadRecorder {
  private readonly counts: Record<Outcome, number> = { success: 0, unavailable: 0, other: 0, error: 0 };
  private readonly unexpected: string[] = [];
  private readonly latencies: number[] = [];
  private seconds = 0;
  private cpu: CpuByRole | undefined = new Map();

  /** One request's outcome; `description` says what an unexpected one was. */
  outcome(outcome: Outcome, description?: string): void {
    this.counts[outcome] += 1;
    if ((outcome === 'other' || outcome === 'error') && description !== undefined) {
      const short = description.slice(0, 300);
      if (this.unexpected.length < MAX_EXAMPLES && !this.unexpected.includes(short)) this.unexpected.push(short);
    }
  }

  /** One answered request's latency, from sending to the whole answer received. */
  latency(ms: number): void {
    this.latencies.push(ms);
  }

  /** A round ended: its wall-clock length, and the CPU by role it cost (undefined where /proc does not tell). */
  round(durationS: number, cpu: CpuByRole | undefined): void {
    this.seconds += durationS;
    if (!cpu || !this.cpu) {
      this.cpu = undefined;
      return;
    }
    for (const [role, ms] of cpu) this.cpu.set(role, (this.cpu.get(role) ?? 0) + ms);
  }

  get findings(): number {
    return this.counts.other + this.counts.error;
  }

  result(): LoadResult {
    const requests = Object.values(this.counts).reduce((sum, count) => sum + count, 0);
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const perRequest =
      this.cpu && new Map([...this.cpu].map(([role, ms]) => [role, ms / Math.max(1, requests)] as const));
    return {
      rps: requests / this.seconds,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      counts: { ...this.counts },
      unexpected: [...this.unexpected],
      durationS: this.seconds,
      ...(perRequest ? { cpuMsPerRequest: perRequest } : {}),
    };
  }

  /** The unexpected outcomes, one FINDING line each (none when there were none). */
  describeFindings(indent: string): string[] {
    return this.unexpected.map((example) => `${indent}FINDING: ${example}`);
  }
}

/** `200 CONFIRMED 1234, 409 RoomUnavailable 56, other 0, errors 0`, then an example of each unexpected answer. */
export function describeMix(result: LoadResult, labels: { success: string; unavailable?: string }): string {
  const { success, unavailable, other, error } = result.counts;
  const unavailablePart = labels.unavailable === undefined ? '' : `, ${labels.unavailable} ${unavailable}`;
  const lines = [`${labels.success} ${success}${unavailablePart}, other ${other}, errors ${error}`];
  for (const example of result.unexpected) lines.push(`    FINDING: ${example}`);
  return lines.join('\n');
}

export function describeLoad(result: LoadResult): string {
  return `${result.rps.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(0)} ms, p99 ${result.p99Ms.toFixed(0)} ms over ${result.durationS.toFixed(1)} s`;
}
