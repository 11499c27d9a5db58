/**
 * The local dashboard (`npm start` only): links to every part, the engine's clock, every state machine
 * and execution with its graph and event history (inputs and outputs of each state), the X-Ray traces of
 * the functions (an execution links to its own), and the outbox of captured emails. Re-renders a part only when its data changed, so focus and open disclosures survive
 * the auto-refresh.
 */
import type { AppConfig, LocalService } from '../shared/app-config';
import { executionStatusBadge } from '../shared/badges';
import { announce, byId, fieldValue, formatDateTime, render, showFieldErrors } from '../shared/dom';
import { progressFromHistory } from '../shared/graph/state-status';
import { renderWorkflowGraph } from '../shared/graph/render-svg';
import { elapsed, eventDetails, historyTable } from '../shared/history-table';
import { html, linkify, safeHttpUrl } from '../shared/html';
import { startPage, showPageError } from '../shared/page';
import {
  SfnLocalClient,
  type ExecutionSummary,
  type HistoryEvent,
  type StateMachineSummary,
} from '../shared/sfn-local';
import type { CapturedEmail } from '../../local/services/ses-capture';
import { newestFirst } from './outbox';
import { placeTimeline, traceList, traceTimeline } from './traces';
import type { TraceView } from '../../local/xray/trace-tree';

const REFRESH_MS = 5000;
const SHOWN_PER_MACHINE = 25;
const SHOWN_TRACES = 25;

class LocalDashboard {
  private readonly sfn: SfnLocalClient;
  private machines: StateMachineSummary[] = [];
  private snapshots = new Map<string, string>();
  private openArn?: string;
  private openTraceId?: string;
  private selectedState?: string;
  private timer?: number;

  constructor(
    private readonly config: AppConfig,
    sfnBase: string,
  ) {
    this.sfn = new SfnLocalClient(sfnBase);
    this.renderServices(sfnBase);
    const clock = byId<HTMLFormElement>('clock-form');
    clock.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.advance(clock, fieldValue(clock, 'advanceSeconds'));
    });
    clock.addEventListener('click', (event) => {
      const preset = (event.target as Element).closest<HTMLButtonElement>('button[data-advance]');
      if (preset) void this.advance(clock, preset.dataset.advance!);
    });
    byId('refresh').addEventListener('click', () => void this.refresh());
    byId('auto-refresh').addEventListener('change', () => void this.refresh());
    byId('close-execution').addEventListener('click', () => this.closeExecution());
    byId('close-trace').addEventListener('click', () => this.closeTrace());
    byId('traces').addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-trace]');
      if (button) location.hash = `trace=${encodeURIComponent(button.dataset.trace!)}`;
    });
    byId('machines').addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-execution]');
      if (button) location.hash = `execution=${encodeURIComponent(button.dataset.execution!)}`;
    });
    window.addEventListener('hashchange', () => this.followHash());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void this.refresh();
    });
    this.followHash();
    void this.refresh();
  }

  private renderServices(sfnBase: string): void {
    const services: LocalService[] = [
      { name: 'REST API and web pages', url: this.config.apiBaseUrl || location.origin },
      ...(this.config.services ?? [{ name: 'Step Functions API', url: sfnBase }]),
    ];
    const pages = [
      { name: 'Admin: plagiarism incidents', url: '/admin/' },
      { name: 'Call centre console', url: '/callcenter/' },
      { name: 'Testing Centre (open it from an emailed link)', url: '/testcentre/' },
    ];
    render(
      byId('services'),
      html`${[...services, ...pages].map((s) => {
        const url = safeHttpUrl(s.url, location.href);
        return html`<li>${s.name}: ${url ? html`<a href="${url}">${s.url}</a>` : s.url}</li>`;
      })}`,
    );
  }

  /** Sets `target` only when `key`'s data changed since the last time. */
  private renderIfChanged(key: string, data: unknown, paint: () => void): void {
    const snapshot = JSON.stringify(data);
    if (this.snapshots.get(key) === snapshot) return;
    this.snapshots.set(key, snapshot);
    paint();
  }

  private async refresh(): Promise<void> {
    window.clearTimeout(this.timer);
    await Promise.all([
      this.loadMachines(),
      this.loadOutbox(),
      this.loadTraces(),
      this.openArn ? this.loadExecution(this.openArn) : undefined,
      this.openTraceId ? this.loadTrace(this.openTraceId) : undefined,
    ]);
    if ((byId('auto-refresh') as HTMLInputElement).checked && document.visibilityState === 'visible') {
      this.timer = window.setTimeout(() => void this.refresh(), REFRESH_MS);
    }
  }

  private async advance(form: HTMLFormElement, value: string): Promise<void> {
    const seconds = Number(value);
    const ok = showFieldErrors(
      form,
      Number.isInteger(seconds) && seconds > 0 ? {} : { advanceSeconds: 'Enter a whole number of seconds, 1 or more.' },
    );
    if (!ok) return;
    const status = byId('clock-status');
    try {
      await this.sfn.advanceClock(seconds);
      announce(
        status,
        `The clock moved forward ${seconds.toLocaleString()} seconds (${elapsed(0, seconds)}).`,
        'success',
      );
      await this.refresh();
    } catch (error) {
      announce(status, (error as Error).message, 'error');
    }
  }

  private async loadMachines(): Promise<void> {
    const status = byId('dashboard-status');
    try {
      this.machines = await this.sfn.stateMachines();
      const executions = await Promise.all(
        this.machines.map(async (m) => (await this.sfn.executions(m.stateMachineArn)).slice(0, SHOWN_PER_MACHINE)),
      );
      announce(status, '');
      this.renderIfChanged('machines', [this.machines.map((m) => m.stateMachineArn), executions, this.openArn], () =>
        this.renderMachines(executions),
      );
    } catch (error) {
      announce(status, (error as Error).message, 'error');
    }
  }

  private renderMachines(executions: ExecutionSummary[][]): void {
    render(
      byId('machines'),
      this.machines.length === 0
        ? html`<p class="muted">No state machines yet.</p>`
        : html`${this.machines.map(
            (machine, i) => html`
<h3>${machine.name} <span class="badge none">${machine.type}</span></h3>
${
  executions[i]!.length === 0
    ? html`<p class="muted">No executions yet.</p>`
    : html`<div class="table-scroll"><table class="stack" data-machine="${machine.name}">
<caption class="muted">${executions[i]!.length === SHOWN_PER_MACHINE ? `The ${SHOWN_PER_MACHINE} most recent` : `${executions[i]!.length}`} execution${executions[i]!.length === 1 ? '' : 's'}</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Duration</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
<tbody>${executions[i]!.map(
        (e) => html`<tr${e.executionArn === this.openArn ? html` class="selected"` : ''}>
<td data-label="Name"><code>${e.name}</code></td>
<td data-label="Status">${executionStatusBadge(e.status)}</td>
<td data-label="Started">${formatDateTime(e.startDate * 1000)}</td>
<td data-label="Duration">${e.stopDate ? elapsed(e.startDate, e.stopDate) : html`<span class="muted">running</span>`}</td>
<td data-label="Action"><button type="button" class="secondary" data-execution="${e.executionArn}" aria-label="Open execution ${e.name}">Open</button></td>
</tr>`,
      )}</tbody></table></div>`
}`,
          )}`,
    );
  }

  private followHash(): void {
    const trace = /^#trace=(.+)$/.exec(location.hash);
    if (trace) {
      this.openTrace(decodeURIComponent(trace[1]!));
      return;
    }
    const match = /^#execution=(.+)$/.exec(location.hash);
    if (!match) return;
    this.openArn = decodeURIComponent(match[1]!);
    this.selectedState = undefined;
    this.snapshots.delete('execution');
    const section = byId('execution-detail');
    section.hidden = false;
    render(byId('execution-body'), html`<p class="muted" role="status">Loading the execution…</p>`);
    void this.loadExecution(this.openArn).then(() => section.focus());
  }

  private closeExecution(): void {
    this.openArn = undefined;
    byId('execution-detail').hidden = true;
    history.replaceState(null, '', location.pathname + location.search);
  }

  private async loadExecution(executionArn: string): Promise<void> {
    try {
      const { execution, definition, events } = await this.sfn.execution(executionArn);
      if (executionArn !== this.openArn) return;
      this.renderIfChanged('execution', [executionArn, events.length], () =>
        this.renderExecution(executionArn, JSON.parse(definition), events, execution.traceId),
      );
    } catch (error) {
      render(
        byId('execution-body'),
        html`<p class="status-line" data-tone="error" role="alert">${(error as Error).message}</p>`,
      );
      this.snapshots.delete('execution');
    }
  }

  private renderExecution(
    executionArn: string,
    definition: unknown,
    events: HistoryEvent[],
    traceId: string | undefined,
  ): void {
    const progress = progressFromHistory(events);
    const name = executionArn.split(':')[7] ?? executionArn;
    byId('execution-heading').textContent = `Execution ${name}`;
    const started = events.find((e) => e.type === 'ExecutionStarted');
    const closed = events.find((e) => /^Execution(Succeeded|Failed|TimedOut|Aborted)$/.test(e.type));
    render(
      byId('execution-body'),
      html`
<dl class="facts">
  <dt>Status</dt><dd>${executionStatusBadge(progress.execution)}</dd>
  <dt>ARN</dt><dd><code>${executionArn}</code></dd>
  ${started ? html`<dt>Started</dt><dd>${formatDateTime(started.timestamp * 1000)}</dd>` : ''}
  ${started && closed ? html`<dt>Duration</dt><dd>${elapsed(started.timestamp, closed.timestamp)}</dd>` : ''}
  ${traceId ? html`<dt>X-Ray trace</dt><dd><a href="#trace=${encodeURIComponent(traceId)}">Open the trace of execution ${name}</a> <span class="muted">(its Lambda tasks)</span></dd>` : ''}
</dl>
${started ? html`<details><summary>Execution input</summary><pre>${JSON.stringify(eventDetails(started)?.input, null, 2)}</pre></details>` : ''}
${closed ? html`<details><summary>Execution ${closed.type === 'ExecutionSucceeded' ? 'output' : 'error'}</summary><pre>${JSON.stringify(eventDetails(closed), null, 2)}</pre></details>` : ''}
<p class="muted">Select a state in the graph to see only its events.</p>
<div id="execution-graph"></div>
<div id="execution-history"></div>`,
    );
    byId('execution-graph').append(
      renderWorkflowGraph(definition, progress, {
        caption: `Workflow of execution ${name}`,
        selectedState: this.selectedState,
        onSelectState: (state) => {
          this.selectedState = this.selectedState === state ? undefined : state;
          render(byId('execution-history'), historyTable(events, this.selectedState));
        },
      }),
    );
    render(byId('execution-history'), historyTable(events, this.selectedState));
  }

  private tracesUrl(path = ''): string {
    return `${this.config.apiBaseUrl || location.origin}/_local/traces${path}`;
  }

  private async loadTraces(): Promise<void> {
    try {
      const response = await fetch(this.tracesUrl(`?limit=${SHOWN_TRACES}`));
      if (!response.ok) throw new Error(`The API port answered ${response.status}.`);
      const { traces } = (await response.json()) as { traces: TraceView[] };
      this.renderIfChanged(
        'traces',
        [traces.map((t) => [t.id, t.segmentCount, t.status, t.endTime]), this.openTraceId],
        () => render(byId('traces'), traceList(traces, this.openTraceId)),
      );
    } catch (error) {
      this.snapshots.delete('traces');
      render(
        byId('traces'),
        html`<p class="status-line" data-tone="error">The traces could not be read: ${(error as Error).message}</p>`,
      );
    }
  }

  private openTrace(traceId: string): void {
    this.openTraceId = traceId;
    this.snapshots.delete('trace');
    const section = byId('trace-detail');
    section.hidden = false;
    render(byId('trace-body'), html`<p class="muted" role="status">Loading the trace…</p>`);
    void Promise.all([this.loadTrace(traceId), this.loadTraces()]).then(() => section.focus());
  }

  private closeTrace(): void {
    this.openTraceId = undefined;
    byId('trace-detail').hidden = true;
    void this.loadTraces(); // the list marks the open trace
    history.replaceState(null, '', location.pathname + location.search);
  }

  private async loadTrace(traceId: string): Promise<void> {
    try {
      const response = await fetch(this.tracesUrl(`/${encodeURIComponent(traceId)}`));
      const body = (await response.json()) as TraceView & { message?: string };
      if (!response.ok) throw new Error(body.message ?? `The API port answered ${response.status}.`);
      if (traceId !== this.openTraceId) return;
      this.renderIfChanged('trace', [traceId, body.segmentCount, body.status, body.endTime], () => {
        byId('trace-heading').textContent = `Trace of ${body.name || traceId}`;
        render(byId('trace-body'), traceTimeline(body));
        placeTimeline(byId('trace-body'));
      });
    } catch (error) {
      if (traceId !== this.openTraceId) return;
      byId('trace-heading').textContent = 'Trace';
      render(
        byId('trace-body'),
        html`<p class="status-line" data-tone="error" role="alert">${(error as Error).message}</p>`,
      );
      this.snapshots.delete('trace');
    }
  }

  private async loadOutbox(): Promise<void> {
    const url = this.config.outboxUrl ?? `${this.config.apiBaseUrl}/_local/outbox`;
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`The outbox answered ${response.status}.`);
      const { emails } = (await response.json()) as { emails: CapturedEmail[] };
      this.renderIfChanged('outbox', emails.length, () => this.renderOutbox(newestFirst(emails)));
    } catch (error) {
      this.snapshots.delete('outbox');
      render(
        byId('outbox'),
        html`<p class="status-line" data-tone="error">The captured emails could not be read: ${(error as Error).message}</p>`,
      );
    }
  }

  private renderOutbox(emails: CapturedEmail[]): void {
    render(
      byId('outbox'),
      emails.length === 0
        ? html`<p class="muted">No email sent yet.</p>`
        : html`<p class="muted">${emails.length} email${emails.length === 1 ? '' : 's'}, newest first.</p>
<ul class="outbox">${emails.map(
            (email) => html`<li class="email"><details>
<summary><strong>${email.subject}</strong> to ${email.destination.to.join(', ')} <span class="muted">· ${formatDateTime(email.at * 1000)}</span></summary>
<dl class="facts"><dt>From</dt><dd>${email.from}</dd><dt>To</dt><dd>${email.destination.to.join(', ')}</dd></dl>
${email.body.text ? html`<div class="email-text">${linkify(email.body.text)}</div>` : ''}
${email.body.html ? html`<iframe class="email-frame" title="${`Email: ${email.subject}`}" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${email.body.html}"></iframe>` : ''}
</details></li>`,
          )}</ul>`,
    );
  }
}

const config = startPage('_local');
if (config) {
  if (!config.local || !config.sfnDashboardBase)
    showPageError('The local dashboard only works with npm start on this machine.');
  else new LocalDashboard(config, config.sfnDashboardBase);
}
