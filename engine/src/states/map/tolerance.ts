/** ToleratedFailureCount / ToleratedFailurePercentage: whether a Map's failed iterations are more than it tolerates. */

export function exceeds(
  failed: number,
  total: number,
  count: number | undefined,
  percentage: number | undefined,
): boolean {
  const countOk = count !== undefined && failed <= count;
  const percentageOk = percentage !== undefined && total > 0 && (failed / total) * 100 <= percentage;
  return !(countOk || percentageOk);
}
