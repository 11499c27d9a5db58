/** Whether a Retry or Catch rule's ErrorEquals covers a failure. */
import { ErrorNames } from '../errors/error-names';
import type { Failure } from '../execution/failure';

export function matches(errorEquals: readonly string[], failure: Failure): boolean {
  const error = failure.error;
  for (const name of errorEquals) {
    if (name === error || name === ErrorNames.ALL) return true;
    if (name === ErrorNames.TaskFailed && error !== ErrorNames.Timeout) return true;
    if (name === ErrorNames.HeartbeatTimeout && failure.heartbeat) return true;
  }
  return false;
}
