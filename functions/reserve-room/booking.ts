/**
 * Booking one room for a stay: one TransactWriteItems that writes the reservation and one RoomNightsTable item
 * per night, each conditional on not existing. Either all of it is written or none, and no two reservations can
 * ever hold the same room on the same night, however many requests race.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../shared/clients';
import { requireEnv } from '../shared/env';
import type { Reservation } from '../shared/reservation';

/**
 * booked: done. roomTaken: another reservation holds one of the nights. duplicate: a reservation with this
 * ReservationId already exists (the same request arrived twice).
 */
export type BookingOutcome = 'booked' | 'roomTaken' | 'duplicate';

/** Attempts when DynamoDB cancels the transaction only because a concurrent one touched the same items. */
const conflictAttempts = 3;

export async function bookRoom(reservation: Reservation, nights: string[]): Promise<BookingOutcome> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await tryBooking(reservation, nights);
    if (outcome !== 'conflict') return outcome;
    // Both conflicting transactions may have been cancelled: retry after a short random pause so they don't
    // collide again, and treat the room as taken if it keeps happening.
    if (attempt === conflictAttempts) return 'roomTaken';
    await delay(Math.random() * 50 * attempt);
  }
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
