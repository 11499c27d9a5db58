/**
 * The admin page's list of incidents: one page of GET /incidents at a time (newest first), "Show more" for the next
 * page (its NextToken), filters by status and by student, and how many incidents need administrative action (GET
 * /incidents?status=ADMIN_ACTION_REQUIRED&select=count, one counter item read instead of the incidents).
 * How requests are authorised stays with the page: it hands in `fetchIncidents`.
 */
import { ApiError, plainMessage } from '../shared/api';
import { examResultBadge, incidentStatusBadge } from '../shared/badges';
import { announce, byId, render } from '../shared/dom';
import { html } from '../shared/html';
import type { IncidentRecord } from './incident-progress';

/** Incidents per page: what fits a screen, well under the API's 100. */
export const PAGE_SIZE = 20;

export interface IncidentPage {
  Items: IncidentRecord[];
  NextToken?: string;
}

export interface IncidentFilter {
  status: string;
  studentId: string;
}

type FetchIncidents = <Answer>(query: Record<string, string>) => Promise<Answer>;

function filterQuery(filter: IncidentFilter): Record<string, string> {
  return {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.studentId ? { studentId: filter.studentId } : {}),
  };
}

export class IncidentList {
  private items: IncidentRecord[] = [];
  private nextToken?: string;
  private filter: IncidentFilter = { status: '', studentId: '' };
  /** Answers to an older request (a reload overtaken by another) are dropped. */
  private generation = 0;

  constructor(
    private readonly fetchIncidents: FetchIncidents,
    private readonly selectedId: () => string | undefined,
  ) {
    const form = byId<HTMLFormElement>('list-filters');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.applyFilter({
        status: byId<HTMLSelectElement>('filter-status').value,
        studentId: byId<HTMLInputElement>('filter-student').value.trim(),
      });
    });
    byId('clear-filters').addEventListener('click', () => this.applyFilter({ status: '', studentId: '' }));
    byId('more-incidents').addEventListener('click', () => void this.loadMore());
    byId('action-count').addEventListener('click', (event) => {
      if ((event.target as Element).closest('button[data-show-action-required]'))
        this.applyFilter({ status: 'ADMIN_ACTION_REQUIRED', studentId: '' });
    });
  }

  /** Whether the incident is among those shown. */
  shows(incidentId: string): boolean {
    return this.items.some((item) => item.IncidentId === incidentId);
  }

  private applyFilter(filter: IncidentFilter): void {
    this.filter = filter;
    byId<HTMLSelectElement>('filter-status').value = filter.status;
    byId<HTMLInputElement>('filter-student').value = filter.studentId;
    void this.reload();
  }

  /** The first page of the current filter again, and the count of incidents needing action. */
  async reload(): Promise<void> {
    const generation = ++this.generation;
    const status = byId('list-status');
    announce(status, 'Loading incidents…');
    void this.loadActionCount(generation);
    try {
      const page = await this.fetchIncidents<IncidentPage>({
        ...filterQuery(this.filter),
        limit: String(PAGE_SIZE),
      });
      if (generation !== this.generation) return;
      this.items = page.Items;
      this.nextToken = page.NextToken;
      announce(status, '');
      this.renderList();
    } catch (error) {
      if (generation === this.generation) announce(status, plainMessage(error), 'error');
    }
  }

  private async loadMore(): Promise<void> {
    if (!this.nextToken) return;
    const generation = this.generation;
    const button = byId<HTMLButtonElement>('more-incidents');
    const status = byId('list-status');
    button.disabled = true;
    announce(status, 'Loading more incidents…');
    try {
      const page = await this.fetchIncidents<IncidentPage>({
        ...filterQuery(this.filter),
        limit: String(PAGE_SIZE),
        nextToken: this.nextToken,
      });
      if (generation !== this.generation) return;
      // An incident already shown is not shown twice (a page boundary never repeats one, but be safe).
      const shown = new Set(this.items.map((item) => item.IncidentId));
      this.items = [...this.items, ...page.Items.filter((item) => !shown.has(item.IncidentId))];
      this.nextToken = page.NextToken;
      announce(status, `${page.Items.length} more incident${page.Items.length === 1 ? '' : 's'} shown.`);
      this.renderList();
    } catch (error) {
      // A token the API no longer accepts (a new key after a restart or a rotation): start again from the top.
      if (error instanceof ApiError && error.status === 400) void this.reload();
      else announce(status, plainMessage(error), 'error');
    } finally {
      button.disabled = false;
    }
  }

  private async loadActionCount(generation: number): Promise<void> {
    const target = byId('action-count');
    try {
      const { Count } = await this.fetchIncidents<{ Count: number }>({
        status: 'ADMIN_ACTION_REQUIRED',
        select: 'count',
      });
      if (generation !== this.generation) return;
      target.hidden = false;
      render(
        target,
        Count === 0
          ? html`<span class="muted">No incident needs administrative action.</span>`
          : html`<strong id="action-count-number">${Count}</strong> incident${Count === 1 ? ' needs' : 's need'} administrative action. <button type="button" class="link-button" data-show-action-required>Show them</button>`,
      );
    } catch {
      // The list reports the problem; the count is a summary and stays hidden.
      if (generation === this.generation) target.hidden = true;
    }
  }

  private renderList(): void {
    const filtered = Boolean(this.filter.status || this.filter.studentId);
    const more = byId<HTMLButtonElement>('more-incidents');
    more.hidden = !this.nextToken;
    byId('clear-filters').hidden = !filtered;
    if (this.items.length === 0) {
      render(
        byId('incident-list'),
        filtered
          ? html`<p class="muted">No incident matches these filters.</p>`
          : html`<p class="muted">No incidents yet. Register one with the form.</p>`,
      );
      return;
    }
    const openId = this.selectedId();
    const shown = `${this.items.length} incident${this.items.length === 1 ? '' : 's'}${filtered ? ' matching the filters' : ''}`;
    render(
      byId('incident-list'),
      html`<div class="table-scroll"><table class="stack" id="incident-table">
<caption class="muted">${shown}, newest first${this.nextToken ? ' (more below)' : ''}</caption>
<thead><tr><th scope="col">Student</th><th scope="col">Incident date</th><th scope="col">Status</th><th scope="col">Exams</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
<tbody>${this.items.map(
        (
          item,
        ) => html`<tr data-incident-row="${item.IncidentId}"${item.IncidentId === openId ? html` class="selected"` : ''}>
<td data-label="Student">${item.StudentName}<br><span class="muted">${item.StudentId} · ${item.StudentEmail}</span></td>
<td data-label="Incident date">${item.IncidentDate}</td>
<td data-label="Status">${incidentStatusBadge(item.Status)}</td>
<td data-label="Exams">${item.Exams.length === 0 ? html`<span class="muted">None yet</span>` : item.Exams.map((exam) => html`${examResultBadge(exam.Result)} `)}</td>
<td data-label="Action"><button type="button" class="secondary" data-incident="${item.IncidentId}" aria-label="Open the incident of ${item.StudentName}">Open</button></td>
</tr>`,
      )}</tbody></table></div>`,
    );
  }
}
