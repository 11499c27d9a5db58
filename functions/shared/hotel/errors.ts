/** The hotel's contract errors (a DomainError's name and status are what the caller is told). */
import { DomainError } from '../infrastructure/errors';

export class RoomUnavailable extends DomainError {
  readonly name = 'RoomUnavailable';
  readonly statusCode = 409;
}

export class ReservationNotFound extends DomainError {
  readonly name = 'ReservationNotFound';
  readonly statusCode = 404;
}
