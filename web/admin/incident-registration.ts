/**
 * Registering an incident from the admin form at most once per submission, with POST /incident's
 * Idempotency-Key (docs/ARCHITECTURE.md "Additions to the contract"). Each submission gets its own key. Sending
 * the same form content again after a failure (a lost answer, a network error, a server error) reuses it, so an
 * incident the failed attempt did register is answered again rather than registered twice. Changed content, or a
 * submission that got its answer, gets a new key. A submit while one is in flight (a double click, Enter pressed
 * twice) sends nothing.
 */
import { ApiError } from '../shared/api';
import { newIdempotencyKey } from '../shared/idempotency-key';
import type { IncidentForm } from '../shared/validation';

/** POST /incident's answer. */
export interface RegisteredIncident {
  IncidentId: string;
  executionArn: string;
  startDate: string;
}

export type SendIncident = (incident: IncidentForm, idempotencyKey: string) => Promise<RegisteredIncident>;

/**
 * POST /incident's 409 for our key: the incident that key registered exists (its IncidentId is the key), but
 * it can no longer be answered again: its workflow has ended (or the key came with other details).
 */
export class IncidentAlreadyRegistered extends Error {
  override name = 'IncidentAlreadyRegistered';
  constructor(readonly incidentId: string) {
    super(`An earlier attempt of this submission already registered incident ${incidentId}.`);
  }
}

export class IncidentRegistration {
  /** The submission still waiting for its answer, and its key. */
  private attempt?: { content: string; key: string };
  private inFlight = false;

  constructor(
    private readonly send: SendIncident,
    private readonly newKey: () => string = newIdempotencyKey,
  ) {}

  /** Whether a registration is waiting for its answer. */
  get busy(): boolean {
    return this.inFlight;
  }

  /**
   * Registers `incident`; answers undefined without sending anything while another registration is in flight.
   * Throws what the API answered (ApiError), or IncidentAlreadyRegistered for its 409 IncidentAlreadyExists.
   */
  async register(incident: IncidentForm): Promise<RegisteredIncident | undefined> {
    if (this.inFlight) return undefined;
    this.inFlight = true;
    const key = this.keyFor(incident);
    try {
      const registered = await this.send(incident, key);
      this.attempt = undefined;
      return registered;
    } catch (error) {
      if (!(error instanceof ApiError && error.error === 'IncidentAlreadyExists')) throw error;
      // That key is spent: submitting the form again is a new incident, with a new key.
      this.attempt = undefined;
      throw new IncidentAlreadyRegistered(key);
    } finally {
      this.inFlight = false;
    }
  }

  /** The key of the unanswered submission when this is the same content again, else a new one. */
  private keyFor(incident: IncidentForm): string {
    // The body the API compares is this object's JSON, so equal JSON is the same submission.
    const content = JSON.stringify(incident);
    if (this.attempt?.content !== content) this.attempt = { content, key: this.newKey() };
    return this.attempt.key;
  }
}
