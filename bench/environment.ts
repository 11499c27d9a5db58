/** Benchmark settings read from the environment (run counts, durations), refused clearly when they make no sense. */

/** The positive integer in environment variable `name`, or `fallback` when it is unset or empty. */
export function positiveIntegerFromEnvironment(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}
