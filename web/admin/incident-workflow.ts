/**
 * The workflow run of the open incident, from the REST API (GET /incidents/{IncidentId}/workflow, which works in AWS
 * where the page cannot read Step Functions): whether it runs, has ended, or failed (with Step Functions' error and
 * cause), and, for a failed run Step Functions can redrive, the button that redrives it once the administrator has
 * fixed the cause (POST /incidents/{IncidentId}/redrive): it goes on from the step that did not succeed.
 * How requests are authorised stays with the page: it hands in `api`.
 */
import { ApiError, plainMessage } from '../shared/api';
import { html, type SafeHtml } from '../shared/html';

/** GET /incidents/{IncidentId}/workflow's answer. */
export interface IncidentWorkflow {
  IncidentId: string;
  Status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  Error?: string;
  Cause?: string;
  RedriveCount: number;
  Redrivable: boolean;
  RedriveStatusReason?: string;
}

export interface WorkflowApi {
  read(incidentId: string): Promise<IncidentWorkflow>;
  redrive(incidentId: string): Promise<unknown>;
}

const ENDED_BADLY: Record<string, string> = {
  FAILED: 'failed',
  TIMED_OUT: 'timed out',
  ABORTED: 'was stopped',
};

/** What the last redrive of an incident said, kept across the detail view's re-renders. */
interface Notice {
  incidentId: string;
  tone: 'success' | 'error';
  text: string;
}

export class WorkflowRunPanel {
  private notice?: Notice;
  private busy = false;

  constructor(
    private readonly api: WorkflowApi,
    /** Called after a redrive, so the page reads the incident and its workflow again. */
    private readonly redriven: () => void,
  ) {}

  /** The incident's workflow run, or undefined when it cannot be read (the panel then says why). */
  async read(incidentId: string): Promise<IncidentWorkflow | { problem: string }> {
    try {
      return await this.api.read(incidentId);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw error;
      return { problem: plainMessage(error) };
    }
  }

  /** The panel's content for `run` (what read answered). */
  view(incidentId: string, run: IncidentWorkflow | { problem: string }): SafeHtml {
    const notice =
      this.notice?.incidentId === incidentId
        ? html`<p class="status-line" data-tone="${this.notice.tone}" role="status">${this.notice.text}</p>`
        : html`<p class="status-line" role="status"></p>`;
    if ('problem' in run) {
      return html`<p class="muted">The workflow run could not be read (${run.problem}).</p>${notice}`;
    }
    const redrives =
      run.RedriveCount > 0
        ? html` It has been redriven ${run.RedriveCount === 1 ? 'once' : `${run.RedriveCount} times`}.`
        : '';
    const failure = ENDED_BADLY[run.Status];
    if (!failure) {
      const state = run.Status === 'RUNNING' ? 'The workflow is running.' : 'The workflow has ended.';
      return html`<p class="muted" id="workflow-run">${state}${redrives}</p>${notice}`;
    }
    return html`
<div class="status-line" data-tone="error" id="workflow-run">
  <p><strong>The workflow ${failure}${run.Error ? html`: <code>${run.Error}</code>` : ''}.</strong>${redrives}</p>
  ${run.Cause ? html`<details><summary>Cause</summary><pre>${run.Cause}</pre></details>` : ''}
</div>
${
  run.Redrivable
    ? html`<p>Once its cause is fixed, redrive the workflow: it goes on from the step that did not succeed, and what
succeeded is not done again.</p>
<div class="actions"><button type="button" id="redrive-workflow" data-incident="${incidentId}" ${this.busy ? 'disabled' : ''}>Redrive the workflow</button></div>`
    : html`<p class="muted">It cannot be redriven: ${run.RedriveStatusReason ?? 'Step Functions gave no reason'}.</p>`
}
${notice}`;
  }

  /** The button's click (the page delegates it): redrives, then says what happened. */
  async redrive(incidentId: string): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const button = document.getElementById('redrive-workflow') as HTMLButtonElement | null;
    if (button) button.disabled = true;
    try {
      await this.api.redrive(incidentId);
      this.notice = {
        incidentId,
        tone: 'success',
        text: 'The workflow was redriven: it goes on from the step that did not succeed.',
      };
    } catch (error) {
      const text =
        error instanceof ApiError && error.error === 'WorkflowNotRedrivable' ? error.message : plainMessage(error);
      this.notice = { incidentId, tone: 'error', text };
    } finally {
      this.busy = false;
    }
    this.redriven();
  }
}
