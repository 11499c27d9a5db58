/**
 * ReserveRoomFunction: books the first room of the asked type that is free every night of the stay.
 * Invoked by the call-centre state machine with the Reserve request; returns the contract's 200 body.
 */
import { RoomUnavailable } from '../shared/hotel/errors';
import { ValidationError } from '../shared/infrastructure/errors';
import { sendEmail } from '../shared/infrastructure/email';
import { observedHandler } from '../shared/infrastructure/handler';
import { logger } from '../shared/infrastructure/logger';
import { countMetric, publishMetrics } from '../shared/infrastructure/metrics';
import { findReservation, type Reservation } from '../shared/hotel/reservation';
import { nightsOfStay } from '../shared/hotel/stay';
import { parseInput } from '../shared/infrastructure/validation';
import { bookRoom } from './booking';
import { confirmationEmail } from './confirmation-email';
import { reserveRequest, type ReserveRequest } from './request';
import { reservationKeyOf } from './reservation-id';
import { freeRoomsOfType } from './rooms';

export interface ReserveResponse {
  TransactionType: 'Reserve';
  ReservationId: string;
  RoomNumber: string;
  RoomType: string;
  CheckIn: string;
  CheckOut: string;
  Nights: number;
  Status: Reservation['Status'];
  Timestamp: string;
  Message: string;
}

async function reserveRoom(event: unknown): Promise<ReserveResponse> {
  const request = parseInput(reserveRequest, event);
  const { reservationId, repeatable } = reservationKeyOf(request);
  if (repeatable) {
    const existing = await findReservation(reservationId);
    if (existing) return repeatedReservation(existing, request);
  }
  const nights = nightsOfStay(request.CheckIn, request.CheckOut);

  for (const roomNumber of await freeRoomsOfType(request.RoomType, nights)) {
    const reservation: Reservation = {
      ReservationId: reservationId,
      GuestName: request.GuestName,
      GuestEmail: request.GuestEmail,
      RoomType: request.RoomType,
      RoomNumber: roomNumber,
      CheckIn: request.CheckIn,
      CheckOut: request.CheckOut,
      Nights: nights.length,
      Status: 'CONFIRMED',
      CreatedAt: new Date().toISOString(),
    };
    const outcome = await bookRoom(reservation, nights);
    if (outcome === 'booked') return confirmed(reservation);
    if (outcome === 'duplicate') {
      // The same request, sent twice at once, booked first elsewhere: answer with what that one stored.
      const stored = await findReservation(reservationId);
      if (!stored) throw new Error(`Reservation ${reservationId} exists but cannot be read`);
      return repeatedReservation(stored, request);
    }
    logger.info('Room taken by a concurrent booking, trying the next one', { roomNumber });
  }
  if (repeatable) {
    // No room was left to try, but this key may have been booked meanwhile by a concurrent request with the
    // same ReservationId (quite likely: it took the last free room). That makes this one a repeat (200, the same
    // reservation) or a reused key (400), exactly as if it had arrived a moment later, never a false 409.
    const stored = await findReservation(reservationId);
    if (stored) return repeatedReservation(stored, request);
  }
  throw new RoomUnavailable(
    `No ${request.RoomType} room is free for every night from ${request.CheckIn} to ${request.CheckOut}.`,
  );
}

async function confirmed(reservation: Reservation): Promise<ReserveResponse> {
  countMetric('ReservationsMade');
  countMetric('RoomNightsBooked', reservation.Nights);
  let emailed = true;
  try {
    await sendEmail(confirmationEmail(reservation));
  } catch (error) {
    // The booking is committed and is what the guest asked for; a lost email must not turn it into a failure.
    emailed = false;
    logger.error('Could not send the confirmation email', { reservationId: reservation.ReservationId, error });
  }
  const emailNote = emailed
    ? `A confirmation email was sent to ${reservation.GuestEmail}.`
    : 'The confirmation email could not be sent.';
  return response(reservation, `${describe(reservation)} ${emailNote}`);
}

/**
 * A Reserve whose ReservationId is already stored (the client's key, or the one derived from a retried execution):
 * the same request again gets the same reservation. Every field the guest chose must match, the name too: another
 * guest's booking under a reused key is not a repeat.
 */
function repeatedReservation(stored: Reservation, request: ReserveRequest): ReserveResponse {
  const sameRequest =
    stored.GuestName === request.GuestName &&
    stored.GuestEmail === request.GuestEmail &&
    stored.RoomType === request.RoomType &&
    stored.CheckIn === request.CheckIn &&
    stored.CheckOut === request.CheckOut;
  if (!sameRequest) {
    throw new ValidationError(`ReservationId ${stored.ReservationId} is already used by a different reservation.`);
  }
  // A client's key sent again is a repeat the client knows of; the same execution's Reserve retried by the state
  // machine (no client key) is the one request whose first answer was lost: it is simply confirmed.
  const message =
    stored.Status === 'CANCELLED'
      ? `Reservation ${stored.ReservationId} was already made and has since been cancelled.`
      : request.ReservationId
        ? `Reservation ${stored.ReservationId} already exists. ${describe(stored)}`
        : describe(stored);
  return response(stored, message);
}

function describe(reservation: Reservation): string {
  const { RoomNumber, RoomType, GuestName, CheckIn, CheckOut, Nights } = reservation;
  return `Room ${RoomNumber} (${RoomType}) is reserved for ${GuestName} from ${CheckIn} to ${CheckOut} (${Nights} night${Nights === 1 ? '' : 's'}).`;
}

function response(reservation: Reservation, message: string): ReserveResponse {
  return {
    TransactionType: 'Reserve',
    ReservationId: reservation.ReservationId,
    RoomNumber: reservation.RoomNumber,
    RoomType: reservation.RoomType,
    CheckIn: reservation.CheckIn,
    CheckOut: reservation.CheckOut,
    Nights: reservation.Nights,
    Status: reservation.Status,
    Timestamp: new Date().toISOString(),
    Message: message,
  };
}

export const handler = observedHandler(reserveRoom).use(publishMetrics());
