/**
 * Booking one room for a stay: one TransactWriteItems that writes the reservation and one RoomNightsTable item
 * per night, each conditional on not existing. Either all of it is written or none, and no two reservations can
 * ever hold the same room on the same night, however many requests race.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../shared/infrastructure/clients';
import { requireEnv } from '../shared/infrastructure/env';
import type { Reservation } from '../shared/hotel/reservation';
import { retryOnConflict } from '../shared/infrastructure/transaction-conflicts';

/**
 * booked: done. roomTaken: another reservation holds one of the nights. duplicate: a reservation with this
 * ReservationId already exists (the same request arrived twice).
 */
export type BookingOutcome = 'booked' | 'roomTaken' | 'duplicate';

export async function bookRoom(reservation: Reservation, nights: string[]): Promise<BookingOutcome> {
  const outcome = await retryOnConflict(() => tryBooking(reservation, nights));
  // A room that keeps conflicting is being fought over: treat it as taken and let the caller try the next one.
  return outcome === 'conflict' ? 'roomTaken' : outcome;
}

async function tryBooking(reservation: Reservation, nights: string[]): Promise<BookingOutcome | 'conflict'> {
  const roomNightsTable = requireEnv('ROOM_NIGHTS_TABLE');
  try {
    await dynamo.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: requireEnv('RESERVATIONS_TABLE'),
              Item: reservation,
              ConditionExpression: 'attribute_not_exists(ReservationId)',
            },
          },
          ...nights.map((night) => ({
            Put: {
              TableName: roomNightsTable,
              Item: { RoomNumber: reservation.RoomNumber, Night: night, ReservationId: reservation.ReservationId },
              ConditionExpression: 'attribute_not_exists(RoomNumber)',
            },
          })),
        ],
      }),
    );
    return 'booked';
  } catch (error) {
    if (!(error instanceof TransactionCanceledException) || !error.CancellationReasons) throw error;
    const codes = error.CancellationReasons.map((reason) => reason.Code);
    // Reasons come in TransactItems order: the reservation first, then the nights.
    if (codes[0] === 'ConditionalCheckFailed') return 'duplicate';
    if (codes.slice(1).includes('ConditionalCheckFailed')) return 'roomTaken';
    if (codes.includes('TransactionConflict')) return 'conflict';
    throw error;
  }
}
