/** A task's outcome: from the integration (checked), from a callback, or as the history recorded it. */
import { eventDetails, type HistoryEvent } from '../../execution/history';
import { isPlainObject } from '../../json/objects';
import { textOf } from '../../json/text';

/** How a task ended: a result, or an error (timedOut: the task's timeout; heartbeat: a missed heartbeat). */
export type Outcome =
  | { ok: true; output: unknown }
  | { ok: false; error?: string; cause?: string; timedOut?: boolean; heartbeat?: boolean };

/** The outcome recorded in a history event. */
export function recordedOutcome(event: HistoryEvent): Outcome {
  const details = eventDetails(event);
  if (event.type.endsWith('Succeeded'))
    return { ok: true, output: typeof details.output === 'string' ? JSON.parse(details.output) : null };
  return {
    ok: false,
    error: details.error as string | undefined,
    cause: details.cause as string | undefined,
    timedOut: event.type.endsWith('TimedOut'),
  };
}

/** The message of whatever an integration threw (not always an Error: a string, null, an object with a getter that throws). */
export function thrownMessage(error: unknown): string {
  try {
    const message = (error as { message?: unknown } | null | undefined)?.message;
    return typeof message === 'string' ? message : String(message ?? error);
  } catch {
    return 'The integration threw a value that cannot be described';
  }
}

/** An integration's answer, checked: a host bug (no outcome object, a non-string error) fails the task with a clear cause. */
export function checkedOutcome(outcome: unknown): Outcome {
  if (isPlainObject(outcome) && outcome.ok === true) return { ok: true, output: outcome.output };
  if (isPlainObject(outcome) && outcome.ok === false) {
    const checked: Outcome = { ok: false };
    if (outcome.error !== undefined && outcome.error !== null) checked.error = textOf(outcome.error);
    if (outcome.cause !== undefined && outcome.cause !== null) checked.cause = textOf(outcome.cause);
    return checked;
  }
  return {
    ok: false,
    error: 'States.TaskFailed',
    cause: `The integration answered ${textOf(outcome)} instead of { ok: true, output } or { ok: false, error, cause }`,
  };
}
