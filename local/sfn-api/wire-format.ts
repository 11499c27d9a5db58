/**
 * Conversions from the engine's values to the Step Functions API's wire format: timestamps as epoch
 * seconds (numbers with fractional milliseconds; the SDK refuses strings), JSON values as JSON text.
 */
import type { HistoryEvent } from '@serverless-workflows/sfn-engine';

export const epochSeconds = (epochMs: number) => epochMs / 1000;

export const jsonText = (value: unknown) => JSON.stringify(value ?? null);

/** The members GetExecutionHistory leaves out with includeExecutionData: false. */
const executionDataMembers = new Set(['input', 'inputDetails', 'output', 'outputDetails', 'parameters']);

/**
 * A history event as GetExecutionHistory returns it: AWS's members only (the engine keeps bookkeeping of its
 * own on events, e.g. the task token it needs to resume), the timestamp in epoch seconds.
 */
export function historyEventToWire(event: HistoryEvent, includeExecutionData: boolean): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    timestamp: epochSeconds(event.timestamp),
    type: event.type,
    id: event.id,
    previousEventId: event.previousEventId,
  };
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith('EventDetails')) continue;
    wire[key] =
      includeExecutionData || !value || typeof value !== 'object'
        ? value
        : Object.fromEntries(Object.entries(value).filter(([member]) => !executionDataMembers.has(member)));
  }
  return wire;
}
