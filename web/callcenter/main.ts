/**
 * The call-centre agent's console: reserve and cancel rooms through POST /reservations (the Express
 * workflow answers at once), errors in plain words, and the reservations handled in this session.
 */
import { ApiError, callApi, plainMessage } from '../shared/api';
import type { AppConfig } from '../shared/app-config';
import { byId, fieldValue, formatDateTime, render, showFieldErrors } from '../shared/dom';
import { html, type SafeHtml } from '../shared/html';
import { newIdempotencyKey } from '../shared/idempotency-key';
import { startPage } from '../shared/page';
import { setupSignIn, type StaffSignIn } from '../shared/sign-in-panel';
import {
  isoDay,
  MAX_DAYS_AHEAD,
  nightsBetween,
  validateCancellation,
  validateReservation,
  type ReserveForm,
} from '../shared/validation';
import { RecentReservations, type Reservation } from './recent-reservations';

const ROOM_NAMES: Record<string, string> = { STANDARD: 'Standard', DELUXE: 'Deluxe', SUITE: 'Suite' };
const DAY_MS = 86_400_000;

interface ReserveAnswer extends Reservation {
  Timestamp: string;
  Message: string;
}

interface CancelAnswer {
  ReservationId: string;
  Status: 'CANCELLED';
  Timestamp: string;
  Message: string;
}

class CallCentrePage {
  private readonly signIn: StaffSignIn;
  private readonly recent = new RecentReservations(sessionStorage);
  /** The Reserve's ReservationId: the same Reserve sent twice (a retry after a lost answer) books once. */
  private clientKey = newIdempotencyKey();

  constructor(private readonly config: AppConfig) {
    this.signIn = setupSignIn(config, { group: 'agents', people: 'call-centre agents' }, () => undefined);
    const reserve = byId<HTMLFormElement>('reserve-form');
    const cancel = byId<HTMLFormElement>('cancel-form');
    this.resetDates(reserve);
    reserve.addEventListener('input', () => this.showStayLength(reserve));
    // A changed request is a new reservation: it gets a new idempotency key.
    reserve.addEventListener('change', () => (this.clientKey = newIdempotencyKey()));
    reserve.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.reserve(reserve);
    });
    cancel.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.cancel(cancel);
    });
    byId('recent').addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
      if (!button) return;
      const id = button.dataset.reservation!;
      if (button.dataset.action === 'cancel') {
        (cancel.elements.namedItem('ReservationId') as HTMLInputElement).value = id;
        void this.cancel(cancel);
      } else {
        void this.checkStatus(id);
      }
    });
    this.renderRecent();
  }

  private resetDates(form: HTMLFormElement): void {
    const today = Date.now();
    (form.elements.namedItem('CheckIn') as HTMLInputElement).value = isoDay(today + DAY_MS);
    (form.elements.namedItem('CheckOut') as HTMLInputElement).value = isoDay(today + 2 * DAY_MS);
    (form.elements.namedItem('CheckIn') as HTMLInputElement).min = isoDay(today);
    (form.elements.namedItem('CheckIn') as HTMLInputElement).max = isoDay(today + MAX_DAYS_AHEAD * DAY_MS);
    this.showStayLength(form);
  }

  private showStayLength(form: HTMLFormElement): void {
    const nights = nightsBetween(fieldValue(form, 'CheckIn'), fieldValue(form, 'CheckOut'));
    byId('stay-length').textContent =
      nights !== undefined && nights > 0 ? `${nights} night${nights === 1 ? '' : 's'}` : '';
  }

  /** The agent's ID token; without one (the session ended) the sign-in form has come back saying so. */
  private async requireToken(): Promise<string | undefined> {
    const token = await this.signIn.idToken();
    if (!token) byId('signInEmail').focus();
    return token;
  }

  /** A failure's words; a 401 means the session ended meanwhile: the sign-in form comes back. */
  private failed(error: unknown, problem: (error: unknown) => string): string {
    if (error instanceof ApiError && error.status === 401) this.signIn.expired();
    return problem(error);
  }

  private showAnswer(content: SafeHtml, focus = false): void {
    const answer = byId('answer');
    render(answer, content);
    answer.hidden = false;
    if (focus) answer.focus();
  }

  private showError(message: string): void {
    this.showAnswer(html`<p class="status-line" data-tone="error" id="answer-error">${message}</p>`, true);
  }

  private async reserve(form: HTMLFormElement): Promise<void> {
    const request: ReserveForm = {
      GuestName: fieldValue(form, 'GuestName'),
      GuestEmail: fieldValue(form, 'GuestEmail'),
      RoomType: fieldValue(form, 'RoomType'),
      CheckIn: fieldValue(form, 'CheckIn'),
      CheckOut: fieldValue(form, 'CheckOut'),
    };
    if (!showFieldErrors(form, validateReservation(request, isoDay(Date.now())))) return;
    await this.submit(
      form,
      'Reserving…',
      (error) => this.reserveProblem(error, request),
      async (idToken) => {
        const body = { TransactionType: 'Reserve', ...request, ReservationId: this.clientKey };
        const answer = await callApi<ReserveAnswer>(this.config, '/reservations', { method: 'POST', body, idToken });
        this.recent.remember({ ...answer, GuestName: request.GuestName, GuestEmail: request.GuestEmail });
        this.showAnswer(
          html`<div class="status-line" data-tone="success" id="answer-reserved">
<p><strong>Reserved.</strong> ${answer.Message}</p>
<dl class="facts">
<dt>Reservation ID</dt><dd><code id="reserved-id">${answer.ReservationId}</code></dd>
<dt>Room</dt><dd>${ROOM_NAMES[answer.RoomType] ?? answer.RoomType} room ${answer.RoomNumber}</dd>
<dt>Stay</dt><dd>${answer.CheckIn} to ${answer.CheckOut} (${answer.Nights} night${answer.Nights === 1 ? '' : 's'})</dd>
<dt>Guest</dt><dd>${request.GuestName}, confirmation sent to ${request.GuestEmail}</dd>
</dl></div>`,
          true,
        );
        form.reset();
        this.resetDates(form);
        this.clientKey = newIdempotencyKey();
        this.renderRecent();
      },
    );
  }

  private reserveProblem(error: unknown, request: ReserveForm): string {
    if (error instanceof ApiError && error.error === 'RoomUnavailable') {
      return `No ${ROOM_NAMES[request.RoomType]?.toLowerCase() ?? ''} room is free for every night from ${request.CheckIn} to ${request.CheckOut}. Try other dates or another room type.`;
    }
    if (error instanceof ApiError && error.error === 'ValidationError')
      return `The reservation was not accepted: ${error.message}`;
    return plainMessage(error);
  }

  private async cancel(form: HTMLFormElement): Promise<void> {
    const request = { ReservationId: fieldValue(form, 'ReservationId') };
    if (!showFieldErrors(form, validateCancellation(request))) return;
    const problem = (error: unknown) =>
      error instanceof ApiError && error.error === 'ReservationNotFound'
        ? `There is no reservation with ID ${request.ReservationId}. Check the ID with the guest.`
        : plainMessage(error);
    await this.submit(form, 'Cancelling…', problem, async (idToken) => {
      const answer = await callApi<CancelAnswer>(this.config, '/reservations', {
        method: 'POST',
        body: { TransactionType: 'Cancel', ...request },
        idToken,
      });
      this.recent.markCancelled(answer.ReservationId);
      this.showAnswer(
        html`<div class="status-line" data-tone="success" id="answer-cancelled">
<p><strong>Cancelled.</strong> ${answer.Message}</p>
<p>Reservation <code>${answer.ReservationId}</code> is cancelled; its room is free again for those nights.</p></div>`,
        true,
      );
      form.reset();
      this.renderRecent();
    });
  }

  /**
   * Sends a form's request with the agent's ID token: its submit button disabled and `progress` shown meanwhile, a
   * failure shown as the sentence `problem` makes of it.
   */
  private async submit(
    form: HTMLFormElement,
    progress: string,
    problem: (error: unknown) => string,
    send: (idToken: string) => Promise<void>,
  ): Promise<void> {
    const idToken = await this.requireToken();
    if (!idToken) return;
    const button = form.querySelector('button[type=submit]') as HTMLButtonElement;
    button.disabled = true;
    this.showAnswer(html`<p>${progress}</p>`);
    try {
      await send(idToken);
    } catch (error) {
      this.showError(this.failed(error, problem));
    } finally {
      button.disabled = false;
    }
  }

  private async checkStatus(reservationId: string): Promise<void> {
    const idToken = await this.requireToken();
    if (!idToken) return;
    try {
      const reservation = await callApi<Reservation>(
        this.config,
        `/reservations/${encodeURIComponent(reservationId)}`,
        { idToken },
      );
      this.recent.remember(reservation);
      this.renderRecent();
      this.showAnswer(
        html`<p>Reservation <code>${reservationId}</code> is ${reservation.Status === 'CANCELLED' ? 'cancelled' : 'confirmed'}.</p>`,
      );
    } catch (error) {
      this.showError(
        this.failed(error, () =>
          error instanceof ApiError && error.status === 404
            ? `There is no reservation with ID ${reservationId}.`
            : plainMessage(error),
        ),
      );
    }
  }

  private renderRecent(): void {
    const items = this.recent.list();
    render(
      byId('recent'),
      items.length === 0
        ? html`<p class="muted">None yet.</p>`
        : html`<div class="table-scroll"><table class="stack" id="recent-table">
<thead><tr><th scope="col">Reservation</th><th scope="col">Guest</th><th scope="col">Room</th><th scope="col">Stay</th><th scope="col">Status</th><th scope="col"><span class="muted">Actions</span></th></tr></thead>
<tbody>${items.map(
            (r) => html`<tr data-reservation-row="${r.ReservationId}">
<td data-label="Reservation"><code>${r.ReservationId}</code></td>
<td data-label="Guest">${r.GuestName}<br><span class="muted">${r.GuestEmail}</span></td>
<td data-label="Room">${ROOM_NAMES[r.RoomType] ?? r.RoomType} ${r.RoomNumber}</td>
<td data-label="Stay">${r.CheckIn} → ${r.CheckOut}</td>
<td data-label="Status"><span class="badge ${r.Status === 'CANCELLED' ? 'none' : 'ok'}">${r.Status === 'CANCELLED' ? 'Cancelled' : 'Confirmed'}</span>${r.UpdatedAt ? html`<br><span class="muted">${formatDateTime(r.UpdatedAt)}</span>` : ''}</td>
<td data-label="Actions"><div class="actions flush">
<button type="button" class="secondary" data-action="status" data-reservation="${r.ReservationId}" aria-label="Check the status of reservation ${r.ReservationId}">Check</button>
${r.Status === 'CANCELLED' ? '' : html`<button type="button" class="secondary" data-action="cancel" data-reservation="${r.ReservationId}" aria-label="Cancel reservation ${r.ReservationId}">Cancel</button>`}
</div></td></tr>`,
          )}</tbody></table></div>`,
    );
  }
}

const config = startPage('callcenter');
if (config) new CallCentrePage(config);
