/**
 * The dashboard's X-Ray traces (`GET /_local/traces`): the list of recent traces and one trace's timeline.
 * The timeline is a table, one row per segment in tree order, so it reads as a table to a screen reader and by
 * keyboard; the waterfall bars are a visual column beside the same numbers (aria-hidden).
 */
import { traceStatusBadge } from '../shared/badges';
import { formatDateTime } from '../shared/dom';
import { elapsed } from '../shared/history-table';
import { html, type SafeHtml } from '../shared/html';
import type { TraceNode, TraceView } from '../../local/xray/trace-tree';

const formatMs = (ms: number): string => elapsed(0, ms / 1000);

/** What a segment did, in words: "DynamoDB GetItem ReservationsTable", "ReserveRoomFunction". */
export function segmentLabel(node: TraceNode): string {
  return [node.name, node.aws?.operation, node.aws?.table].filter(Boolean).join(' ');
}

/** The segments depth first, each level by start time (the order the timeline lists them). */
export function timelineRows(trace: TraceView): { node: TraceNode; depth: number }[] {
  const rows: { node: TraceNode; depth: number }[] = [];
  const visit = (node: TraceNode, depth: number) => {
    rows.push({ node, depth });
    for (const child of node.children) visit(child, depth + 1);
  };
  for (const root of trace.segments) visit(root, 0);
  return rows;
}

const nodeStatus = (node: TraceNode) =>
  node.fault ? 'fault' : node.error ? 'error' : node.inProgress ? 'in progress' : 'ok';

export function traceList(traces: readonly TraceView[], openId?: string): SafeHtml {
  if (traces.length === 0) {
    return html`<p class="muted">No trace yet: traces appear once a function has run (reserve a room, register an incident).</p>`;
  }
  return html`<div class="table-scroll"><table class="stack" data-traces>
<caption class="muted">The ${traces.length} most recent trace${traces.length === 1 ? '' : 's'}, newest first</caption>
<thead><tr><th scope="col">Functions</th><th scope="col">Started</th><th scope="col">Duration</th><th scope="col">Status</th><th scope="col">Segments</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
<tbody>${traces.map(
    (trace) => html`<tr${trace.id === openId ? html` class="selected"` : ''}>
<td data-label="Functions">${trace.name || html`<span class="muted">(unnamed)</span>`}</td>
<td data-label="Started">${formatDateTime(trace.startTime * 1000)}</td>
<td data-label="Duration">${trace.durationMs === undefined ? html`<span class="muted">running</span>` : formatMs(trace.durationMs)}</td>
<td data-label="Status">${traceStatusBadge(trace.status)}</td>
<td data-label="Segments">${trace.segmentCount}</td>
<td data-label="Action"><button type="button" class="secondary" data-trace="${trace.id}" aria-label="${`Open trace ${trace.id} (${trace.name})`}">Open</button></td>
</tr>`,
  )}</tbody></table></div>`;
}

function details(node: TraceNode): SafeHtml | string {
  const facts = [
    ...Object.entries(node.annotations ?? {}),
    ['Origin', node.origin],
    ['HTTP status', node.httpStatus],
    ['Retries', node.aws?.retries],
    ['Request id', node.aws?.requestId],
    ...(node.exceptions ?? []).map((exception) => ['Exception', exception]),
  ].filter(([, value]) => value !== undefined);
  if (facts.length === 0) return '';
  return html`<details><summary>Details<span class="visually-hidden"> of ${segmentLabel(node)}</span></summary>
<dl class="facts">${facts.map(([term, value]) => html`<dt>${term}</dt><dd>${String(value)}</dd>`)}</dl></details>`;
}

/**
 * Indents the timeline's rows and places its bars, after `traceTimeline` is rendered. Through the CSSOM, not
 * style attributes: the pages' Content-Security-Policy (style-src 'self') refuses inline style attributes, and
 * computed geometry has no class to name it.
 */
export function placeTimeline(root: ParentNode): void {
  for (const cell of Array.from(root.querySelectorAll<HTMLElement>('[data-indent]')))
    cell.style.paddingLeft = `${cell.dataset.indent}rem`;
  for (const bar of Array.from(root.querySelectorAll<HTMLElement>('.waterfall-bar[data-offset]'))) {
    bar.style.marginLeft = `${bar.dataset.offset}%`;
    bar.style.width = `${bar.dataset.width}%`;
  }
}

/** One trace: its facts and the timeline table with a waterfall column (placed by `placeTimeline`). */
export function traceTimeline(trace: TraceView): SafeHtml {
  const rows = timelineRows(trace);
  const ends = rows.map(({ node }) => node.endTime ?? node.startTime);
  const span = Math.max(...ends, trace.endTime ?? trace.startTime) - trace.startTime;
  // Positions as percentages of the trace's span; an in-progress segment runs to the latest time seen.
  const percent = (seconds: number) => (span > 0 ? Math.min(100, Math.max(0, (seconds / span) * 100)) : 0);
  return html`<dl class="facts">
  <dt>Trace id</dt><dd><code>${trace.id}</code></dd>
  <dt>Status</dt><dd>${traceStatusBadge(trace.status)}</dd>
  <dt>Started</dt><dd>${formatDateTime(trace.startTime * 1000)}</dd>
  <dt>Duration</dt><dd>${trace.durationMs === undefined ? 'still running' : formatMs(trace.durationMs)}</dd>
</dl>
${trace.droppedDocuments ? html`<p class="status-line" data-tone="error">${trace.droppedDocuments} more segment${trace.droppedDocuments === 1 ? ' was' : 's were'} not kept: the collector bounds each trace.</p>` : ''}
<div class="table-scroll waterfall-scroll" tabindex="0" role="group" aria-label="Timeline of trace ${trace.id}">
<table class="waterfall">
<caption>Timeline: ${rows.length} segment${rows.length === 1 ? '' : 's'}, nested by call (start and duration in milliseconds from the trace's start)</caption>
<thead><tr><th scope="col">Segment</th><th scope="col">Starts at</th><th scope="col">Duration</th><th scope="col">Status</th><th scope="col" class="waterfall-column">Timeline</th><th scope="col">Details</th></tr></thead>
<tbody>${rows.map(({ node, depth }) => {
    const offset = percent(node.startTime - trace.startTime);
    const width = Math.min(percent((node.endTime ?? trace.startTime + span) - node.startTime), 100 - offset);
    const status = nodeStatus(node);
    return html`<tr data-segment="${node.id}" data-depth="${depth}">
<th scope="row" class="segment-name" data-indent="${(0.6 + depth * 1.1).toFixed(1)}">${depth > 0 ? html`<span class="visually-hidden">Level ${depth + 1}: </span>` : ''}${segmentLabel(node)}${node.kind === 'segment' ? html` <span class="muted">(segment)</span>` : ''}</th>
<td class="number">+${formatMs(Math.round((node.startTime - trace.startTime) * 1000))}</td>
<td class="number">${node.durationMs === undefined ? 'running' : formatMs(node.durationMs)}</td>
<td>${traceStatusBadge(status)}</td>
<td class="waterfall-column"><div class="waterfall-track" aria-hidden="true"><span class="waterfall-bar ${status.replace(' ', '-')}" data-offset="${offset.toFixed(2)}" data-width="${width.toFixed(2)}"></span></div></td>
<td class="segment-details">${details(node)}</td>
</tr>`;
  })}</tbody></table></div>`;
}
