export interface EventuallyOptions {
  /** Fail after this long (default 15 s). */
  timeoutMs?: number;
  /** Pause between probes (default 25 ms: a probe is an HTTP round trip to a local process). */
  intervalMs?: number;
}

/**
 * Waits for an effect another process produces (a workflow step, an email, a page update): polls `probe` until
 * it returns a value (not undefined), and fails naming `what` after `timeoutMs`. `what` may be a function, to
 * add the last thing the probe saw to the failure.
 */
export async function eventually<T>(
  what: string | (() => string),
  probe: () => Promise<T | undefined>,
  options: EventuallyOptions = {},
): Promise<T> {
  const { timeoutMs = 15_000, intervalMs = 25 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
