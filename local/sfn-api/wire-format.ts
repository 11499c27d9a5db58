/**
 * Conversions from the engine's values to the Step Functions API's wire format: timestamps as epoch
 * seconds (numbers with fractional milliseconds; the SDK refuses strings), JSON values as JSON text.
 */
import type { HistoryEvent } from '../../engine/src/index';

export const epochSeconds = (epochMs: number) => epochMs / 1000;

export const jsonText = (value: unknown) => JSON.stringify(value ?? null);

/** The members GetExecutionHistory leaves out with includeExecutionData: false. */
const executionDataMembers = new Set(['input', 'inputDetails', 'output', 'outputDetails', 'parameters']);

/** A history event as GetExecutionHistory returns it. */
export function historyEventToWire(event: HistoryEvent, includeExecutionData: boolean): Record<string, unknown> {
  const wire: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === 'timestamp') wire.timestamp = epochSeconds(event.timestamp);
    else if (!includeExecutionData && key.endsWith('EventDetails') && value && typeof value === 'object') {
      wire[key] = Object.fromEntries(Object.entries(value).filter(([member]) => !executionDataMembers.has(member)));
    } else wire[key] = value;
  }
  return wire;
}
