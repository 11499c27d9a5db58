/**
 * The ReservationId a Reserve books under. A client-sent ReservationId is the client's idempotency key and always
 * wins. Without one, the call-centre state machine passes its execution's id (`Execution.Id`, the context object's
 * execution ARN, unique per execution): the id is derived from it, so a Reserve task that Step Functions retries
 * after its answer was lost (the function booked, then Lambda or the SDK failed) finds its own booking instead of
 * booking a second room. Only an event with neither (a direct invoke, `npm run invoke`) gets a random id.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ReserveRequest } from './request';

export interface ReservationKey {
  reservationId: string;
  /** true when the same request may have booked under this id before (a client key, or a retried execution). */
  repeatable: boolean;
}

export function reservationKeyOf(request: ReserveRequest): ReservationKey {
  if (request.ReservationId) return { reservationId: request.ReservationId, repeatable: true };
  if (request.Execution)
    return { reservationId: nameBasedUuid(`call-centre-reserve:${request.Execution.Id}`), repeatable: true };
  return { reservationId: randomUUID(), repeatable: false };
}

/**
 * A UUID version 8 from SHA-256 of `name`, as RFC 9562 (appendix B.2) describes name-based UUIDs with a modern
 * hash: the same shape as the random ids (so pages and clients see one format), the same for the same name.
 * By hand because node:crypto only makes random UUIDs, and these few lines are not worth a dependency.
 */
function nameBasedUuid(name: string): string {
  const bytes = createHash('sha256').update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // variant 10 (RFC 9562)
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
