/**
 * The admin page: an administrator signs in (sign-in-panel.ts), registers incidents, list them a page at a time (filtered by
 * status or student, with the count of incidents needing action: incident-list.ts), and open one to see its exams
 * and its workflow graph (with the event history when running locally).
 */
import plagiarismDefinition from '../../statemachine/plagiarism.asl.json';
import { ApiError, callApi, plainMessage } from '../shared/api';
import type { AppConfig } from '../shared/app-config';
import { examResultBadge, incidentStatusBadge } from '../shared/badges';
import { announce, byId, fieldValue, formatDateTime, render, showFieldErrors } from '../shared/dom';
import { progressFromHistory, type ExecutionProgress } from '../shared/graph/state-status';
import { renderWorkflowGraph } from '../shared/graph/render-svg';
import { historyTable } from '../shared/history-table';
import { html, safeHttpUrl } from '../shared/html';
import { startPage } from '../shared/page';
import { setupSignIn, type StaffSignIn } from '../shared/sign-in-panel';
import { SfnLocalClient, type HistoryEvent } from '../shared/sfn-local';
import { isoDay, validateIncident, type IncidentForm } from '../shared/validation';
import { IncidentList } from './incident-list';
import { progressFromIncident, type IncidentRecord } from './incident-progress';
import { IncidentAlreadyRegistered, IncidentRegistration } from './incident-registration';
import { type IncidentWorkflow, WorkflowRunPanel } from './incident-workflow';

const REFRESH_MS = 5000;
/** The workflow records a new incident a moment after POST /incident answers: how long to wait for its record. */
const NEW_INCIDENT_POLL_MS = 500;
const NEW_INCIDENT_ATTEMPTS = 20;

const pause = (ms: number): Promise<void> => new Promise((resolve) => window.setTimeout(resolve, ms));

/** POST /incident's 409 in the admin's words: what happened, that nothing changed, and what to do now. */
function alreadyRegisteredMessage(error: IncidentAlreadyRegistered): string {
  return (
    `An earlier attempt of this submission already registered these details as incident ${error.incidentId}, ` +
    'and its workflow has ended since, so nothing new was registered. It is opened below. ' +
    'To register another incident with these details, submit the form again.'
  );
}

class AdminPage {
  private readonly signIn: StaffSignIn;
  private readonly sfn?: SfnLocalClient;
  private readonly registration: IncidentRegistration;
  private readonly list: IncidentList;
  private readonly workflowRun: WorkflowRunPanel;
  private openId?: string;
  private openSnapshot = '';
  private selectedState?: string;
  private timer?: number;

  constructor(private readonly config: AppConfig) {
    this.sfn = config.local && config.sfnDashboardBase ? new SfnLocalClient(config.sfnDashboardBase) : undefined;
    this.registration = new IncidentRegistration((incident, idempotencyKey) =>
      this.authorized((idToken) =>
        callApi(config, '/incident', { method: 'POST', body: incident, idToken, idempotencyKey }),
      ),
    );
    this.list = new IncidentList(
      (query) => this.authorized((idToken) => callApi(config, '/incidents', { idToken, query })),
      () => this.openId,
    );
    this.workflowRun = new WorkflowRunPanel(
      {
        read: (incidentId) =>
          this.authorized((idToken) =>
            callApi<IncidentWorkflow>(config, `/incidents/${encodeURIComponent(incidentId)}/workflow`, { idToken }),
          ),
        redrive: (incidentId) =>
          this.authorized((idToken) =>
            callApi(config, `/incidents/${encodeURIComponent(incidentId)}/redrive`, { method: 'POST', idToken }),
          ),
      },
      () => {
        this.openSnapshot = '';
        void this.refreshDetail();
      },
    );
    this.signIn = setupSignIn(config, { group: 'admins', people: 'university administrators' }, (ready) => {
      if (!ready) return;
      void this.list.reload();
      if (this.openId) void this.refreshDetail();
    });
    const form = byId<HTMLFormElement>('incident-form');
    (form.elements.namedItem('IncidentDate') as HTMLInputElement).value = isoDay(Date.now());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.register(form);
    });
    byId('refresh-list').addEventListener('click', () => void this.list.reload());
    byId('close-detail').addEventListener('click', () => this.closeDetail());
    byId('detail-body').addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button#redrive-workflow');
      if (button?.dataset.incident) void this.workflowRun.redrive(button.dataset.incident);
    });
    byId('incident-list').addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-incident]');
      if (button) this.openDetail(button.dataset.incident!);
    });
    window.addEventListener('hashchange', () => this.followHash());
    this.followHash();
  }

  /**
   * Calls the API with the administrator's ID token. Without one, or when the API refuses it (401: the session
   * ended), the sign-in form comes back saying so, and the call fails with the 401 the page words.
   */
  private async authorized<T>(call: (idToken: string) => Promise<T>): Promise<T> {
    const idToken = await this.signIn.idToken();
    if (!idToken) throw new ApiError('Unauthorized', 'Sign in first.', 401);
    try {
      return await call(idToken);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.signIn.expired();
      throw error;
    }
  }

  private async register(form: HTMLFormElement): Promise<void> {
    // The submission in flight answers for this one too (its button is disabled, but Enter or a script can submit).
    if (this.registration.busy) return;
    const status = byId('register-status');
    const incident: IncidentForm = {
      StudentId: fieldValue(form, 'StudentId'),
      StudentName: fieldValue(form, 'StudentName'),
      StudentEmail: fieldValue(form, 'StudentEmail'),
      IncidentDate: fieldValue(form, 'IncidentDate'),
    };
    const description = fieldValue(form, 'Description');
    if (description) incident.Description = description;
    if (!showFieldErrors(form, validateIncident(incident))) {
      announce(status, 'Please correct the highlighted fields.', 'error');
      return;
    }
    const button = form.querySelector('button[type=submit]') as HTMLButtonElement;
    button.disabled = true;
    announce(status, 'Registering…');
    try {
      const result = await this.registration.register(incident);
      if (!result) return;
      announce(status, `Incident registered for ${incident.StudentName}. The exam is being scheduled.`, 'success');
      form.reset();
      (form.elements.namedItem('IncidentDate') as HTMLInputElement).value = isoDay(Date.now());
      // Its own record, not the list: one GetItem a try, whatever the list's filters (docs/deploy.md, 2.5).
      for (let attempt = 0; attempt < NEW_INCIDENT_ATTEMPTS; attempt++) {
        if (await this.isRecorded(result.IncidentId)) break;
        await pause(NEW_INCIDENT_POLL_MS);
      }
      void this.list.reload();
      location.hash = `incident=${encodeURIComponent(result.IncidentId)}`;
    } catch (error) {
      if (error instanceof IncidentAlreadyRegistered) {
        announce(status, alreadyRegisteredMessage(error), 'error');
        void this.list.reload();
        this.openDetail(error.incidentId);
      } else {
        announce(status, plainMessage(error), 'error');
      }
    } finally {
      button.disabled = false;
    }
  }

  /**
   * Whether to stop waiting for the workflow to record the incident: GET /incidents/{IncidentId} found it, or
   * answered something else than 404 (the detail view, opened next, says what).
   */
  private async isRecorded(incidentId: string): Promise<boolean> {
    try {
      await this.authorized((idToken) =>
        callApi(this.config, `/incidents/${encodeURIComponent(incidentId)}`, { idToken }),
      );
      return true;
    } catch (error) {
      return !(error instanceof ApiError && error.status === 404);
    }
  }

  private followHash(): void {
    const match = /^#incident=(.+)$/.exec(location.hash);
    if (match) this.openDetail(decodeURIComponent(match[1]!), false);
  }

  private openDetail(incidentId: string, updateHash = true): void {
    if (updateHash && location.hash !== `#incident=${encodeURIComponent(incidentId)}`) {
      location.hash = `incident=${encodeURIComponent(incidentId)}`;
      return; // hashchange opens it
    }
    this.openId = incidentId;
    this.openSnapshot = '';
    this.selectedState = undefined;
    const section = byId('incident-detail');
    section.hidden = false;
    render(byId('detail-body'), html`<p class="muted" role="status">Loading the incident…</p>`);
    void this.refreshDetail().then(() => section.focus());
    for (const row of document.querySelectorAll('tr.selected')) row.classList.remove('selected');
    document.querySelector(`tr[data-incident-row="${CSS.escape(incidentId)}"]`)?.classList.add('selected');
  }

  private closeDetail(): void {
    this.openId = undefined;
    window.clearTimeout(this.timer);
    byId('incident-detail').hidden = true;
    history.replaceState(null, '', location.pathname + location.search);
    for (const row of document.querySelectorAll('tr.selected')) row.classList.remove('selected');
  }

  private async refreshDetail(): Promise<void> {
    window.clearTimeout(this.timer);
    const incidentId = this.openId;
    if (!incidentId) return;
    let incident: IncidentRecord;
    try {
      incident = await this.authorized((idToken) =>
        callApi<IncidentRecord>(this.config, `/incidents/${encodeURIComponent(incidentId)}`, { idToken }),
      );
    } catch (error) {
      const message =
        error instanceof ApiError && error.status === 404 ? 'There is no incident with this ID.' : plainMessage(error);
      render(byId('detail-body'), html`<p class="status-line" data-tone="error" role="alert">${message}</p>`);
      return;
    }
    if (incidentId !== this.openId) return;
    let events: HistoryEvent[] | undefined;
    let historyProblem: string | undefined;
    if (this.sfn && incident.executionArn) {
      try {
        events = (await this.sfn.execution(incident.executionArn)).events;
      } catch (error) {
        historyProblem = (error as Error).message;
      }
    }
    const run = await this.workflowRun.read(incidentId);
    if (incidentId !== this.openId) return;
    const snapshot = JSON.stringify([incident, events?.length, run]);
    if (snapshot !== this.openSnapshot) {
      this.openSnapshot = snapshot;
      this.renderDetail(incident, events, historyProblem);
      render(byId('workflow-run-slot'), this.workflowRun.view(incidentId, run));
    }
    const running =
      incident.Status === 'EXAM_SCHEDULED' ||
      ('Status' in run && run.Status === 'RUNNING') ||
      (events !== undefined && progressFromHistory(events).execution === 'RUNNING');
    if (running && document.visibilityState === 'visible') {
      this.timer = window.setTimeout(() => void this.refreshDetail(), REFRESH_MS);
    }
  }

  private renderDetail(
    incident: IncidentRecord,
    events: HistoryEvent[] | undefined,
    historyProblem: string | undefined,
  ): void {
    const body = byId('detail-body');
    byId('detail-heading').textContent = `Incident of ${incident.StudentName}`;
    const region = incident.executionArn?.split(':')[3];
    const consoleUrl =
      region && !this.config.local
        ? safeHttpUrl(
            `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${encodeURIComponent(incident.executionArn)}`,
          )
        : undefined;
    render(
      body,
      html`
<dl class="facts">
  <dt>Status</dt><dd>${incidentStatusBadge(incident.Status)}</dd>
  <dt>Student</dt><dd>${incident.StudentName} (${incident.StudentId})</dd>
  <dt>Email</dt><dd>${incident.StudentEmail}</dd>
  <dt>Incident date</dt><dd>${incident.IncidentDate}</dd>
  ${incident.Description ? html`<dt>What happened</dt><dd>${incident.Description}</dd>` : ''}
  <dt>Incident ID</dt><dd><code>${incident.IncidentId}</code></dd>
  ${consoleUrl ? html`<dt>Execution</dt><dd><a href="${consoleUrl}" target="_blank" rel="noopener">Open in the Step Functions console</a></dd>` : ''}
</dl>
<h3>Exams</h3>
${
  incident.Exams.length === 0
    ? html`<p class="muted">No exam scheduled yet.</p>`
    : html`<div class="table-scroll"><table class="stack" id="exam-table"><thead><tr><th scope="col">Exam</th><th scope="col">Deadline</th><th scope="col">Result</th><th scope="col">Score</th></tr></thead>
<tbody>${incident.Exams.map((exam, i) => html`<tr><td data-label="Exam">Attempt ${incident.Exams.length - i}</td><td data-label="Deadline">${formatDateTime(exam.Deadline)}</td><td data-label="Result">${examResultBadge(exam.Result)}</td><td data-label="Score">${exam.Score ?? '—'}</td></tr>`)}</tbody></table></div>`
}
<h3>Workflow</h3>
<div id="workflow-run-slot"></div>
<p class="muted" id="graph-source">${
        events
          ? 'Coloured from the execution history. Select a state to see its events.'
          : historyProblem
            ? `The execution history could not be read (${historyProblem}); coloured from the incident's status and exams instead.`
            : "Coloured from the incident's status and exams."
      }</p>
<div id="graph-slot"></div>
<div id="history-slot"></div>`,
    );
    const progress: ExecutionProgress | undefined = events
      ? progressFromHistory(events)
      : progressFromIncident(plagiarismDefinition as Parameters<typeof progressFromIncident>[0], incident);
    byId('graph-slot').append(
      renderWorkflowGraph(plagiarismDefinition, progress, {
        caption: `Workflow of the incident of ${incident.StudentName}`,
        selectedState: this.selectedState,
        onSelectState: events
          ? (state) => {
              this.selectedState = this.selectedState === state ? undefined : state;
              render(byId('history-slot'), historyTable(events, this.selectedState));
            }
          : undefined,
      }),
    );
    if (events) render(byId('history-slot'), historyTable(events, this.selectedState));
  }
}

const config = startPage('admin');
if (config) new AdminPage(config);
