/**
 * History events in AWS's shape: `type`, `id`, `previousEventId`, a `timestamp` (epoch ms) and the type's
 * `*EventDetails` (`stateEnteredEventDetails`, `taskScheduledEventDetails`, ...).
 */

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  type: string;
  /** epoch ms */
  timestamp: number;
  [details: string]: unknown;
}

/** Detail keys: *StateEntered/*StateExited share one; every other type has its own. */
export function detailsKey(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
}

/** The details of an event, whichever type it has. */
export function eventDetails(event: HistoryEvent): Record<string, unknown> {
  return (event[detailsKey(event.type)] as Record<string, unknown>) ?? {};
}
