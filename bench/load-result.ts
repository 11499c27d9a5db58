/**
 * What one load phase of the reservations benchmark measured, told the same way whether the requests went through
 * HTTP (autocannon) or straight to the Lambda runner: throughput, latency percentiles, and the mix of outcomes,
 * with a few examples of anything unexpected (a 5xx, another status, a transport error), which is a finding.
 */
/** success: the answer asked for (a confirmation, a 200); unavailable: 409 RoomUnavailable, a valid answer too. */
export type Outcome = 'success' | 'unavailable' | 'other' | 'error';

export interface LoadResult {
  /** Completed requests (any outcome) per second of the phase. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  counts: Record<Outcome, number>;
  /** Up to MAX_EXAMPLES distinct descriptions of 'other' and 'error' outcomes. */
  unexpected: string[];
  durationS: number;
}

const MAX_EXAMPLES = 5;

/** Counts outcomes as they arrive and keeps the first few distinct unexpected ones. */
export class OutcomeTally {
  readonly counts: Record<Outcome, number> = { success: 0, unavailable: 0, other: 0, error: 0 };
  readonly unexpected: string[] = [];

  add(outcome: Outcome, description?: string): void {
    this.counts[outcome] += 1;
    if ((outcome === 'other' || outcome === 'error') && description !== undefined) {
      const short = description.slice(0, 300);
      if (this.unexpected.length < MAX_EXAMPLES && !this.unexpected.includes(short)) this.unexpected.push(short);
    }
  }

  get total(): number {
    return Object.values(this.counts).reduce((sum, count) => sum + count, 0);
  }
}

/**
 * The nearest-rank percentile of `sorted` (ascending). Written out because it is one line over a sorted array of a
 * few thousand samples; autocannon's HDR histogram does the same for the HTTP phases.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
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
