/** What the start-up steps of the local cloud share: the teardown they add to, and timings for progress lines. */

/** Everything started so far, stopped in reverse order (on failure half-way, and by stop()). */
export class Teardown {
  private readonly steps: Array<{ name: string; run: () => Promise<void> | void }> = [];

  add(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }

  async run(report: (message: string) => void): Promise<void> {
    for (const step of this.steps.reverse()) {
      try {
        await step.run();
      } catch (error) {
        report(`stopping ${step.name} failed: ${(error as Error).message}`);
      }
    }
    this.steps.length = 0;
  }
}

/**
 * Like Promise.all, but settles only when every start has: whatever did start is in the teardown by then, so a
 * failure of one never leaves another running.
 */
export async function allStarted<T extends readonly unknown[]>(starts: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(starts);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

export function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
