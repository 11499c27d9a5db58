/**
 * An execution's event history as an accessible table: id, type, state, time since start, and the
 * event's details (inputs, outputs, errors) as pretty JSON in a disclosure. Used by the admin page
 * (locally) and the /_local/ dashboard.
 */
import { html, type SafeHtml } from './html';
import type { HistoryEvent } from './sfn-local';

/** The event's *EventDetails member, with JSON-text fields (input, output, parameters, cause) parsed for reading. */
export function eventDetails(event: HistoryEvent): Record<string, unknown> | undefined {
  const key = Object.keys(event).find((k) => k.endsWith('EventDetails'));
  if (!key) return undefined;
  const details = { ...(event[key] as Record<string, unknown>) };
  for (const field of ['input', 'output', 'parameters', 'cause']) {
    const value = details[field];
    if (typeof value !== 'string') continue;
    try {
      details[field] = JSON.parse(value);
    } catch {
      // not JSON text (a plain cause sentence): shown as it is
    }
  }
  return details;
}

/** Name of the state each event belongs to (entered/exited events name it; others inherit from their cause). */
export function eventStateNames(events: readonly HistoryEvent[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const event of events) {
    const own = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name;
    const inherited = event.previousEventId ? names.get(event.previousEventId) : undefined;
    const name = own ?? (event.type.startsWith('Execution') ? undefined : inherited);
    if (name) names.set(event.id, name);
  }
  return names;
}

export function elapsed(fromSeconds: number, toSeconds: number): string {
  const ms = Math.max(0, Math.round((toSeconds - fromSeconds) * 1000));
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function historyTable(events: readonly HistoryEvent[], onlyState?: string): SafeHtml {
  const names = eventStateNames(events);
  const start = events[0]?.timestamp ?? 0;
  const shown = onlyState ? events.filter((e) => names.get(e.id) === onlyState) : events;
  return html`<div class="table-scroll" tabindex="0" role="group" aria-label="Event history">
<table class="history">
<caption>${onlyState ? `Events of state ${onlyState}` : 'Event history'} (${shown.length})</caption>
<thead><tr><th scope="col">ID</th><th scope="col">Type</th><th scope="col">State</th><th scope="col">Elapsed</th><th scope="col">Details</th></tr></thead>
<tbody>${shown.map((event) => {
    const details = eventDetails(event);
    const failed = /Failed|TimedOut|Aborted/.test(event.type);
    return html`<tr class="${failed ? 'event-failed' : ''}">
<td>${event.id}</td><td>${event.type}</td><td>${names.get(event.id) ?? ''}</td><td>${elapsed(start, event.timestamp)}</td>
<td>${details ? html`<details><summary>Show</summary><pre>${JSON.stringify(details, null, 2)}</pre></details>` : ''}</td></tr>`;
  })}</tbody></table></div>`;
}
