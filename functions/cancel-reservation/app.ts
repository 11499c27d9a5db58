/**
 * CancelReservationFunction: frees the reservation's room-nights and marks it CANCELLED, in one transaction.
 * Invoked by the call-centre state machine with the Cancel request; cancelling twice answers the same.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { dynamo } from '../shared/infrastructure/clients';
import { sendEmail } from '../shared/infrastructure/email';
import { requireEnv } from '../shared/infrastructure/env';
import { ReservationNotFound } from '../shared/hotel/errors';
import { observedHandler } from '../shared/infrastructure/handler';
import { logger } from '../shared/infrastructure/logger';
import { countMetric, publishMetrics } from '../shared/infrastructure/metrics';
import { findReservation, type Reservation } from '../shared/hotel/reservation';
import { nightsOfStay } from '../shared/hotel/stay';
import { retryOnConflict } from '../shared/infrastructure/transaction-conflicts';
import { parseInput } from '../shared/infrastructure/validation';
import { cancellationEmail } from './cancellation-email';

const cancelRequest = z.object({
  TransactionType: z.optional(z.literal('Cancel')),
  ReservationId: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(64)),
});

export interface CancelResponse {
  TransactionType: 'Cancel';
  ReservationId: string;
  Status: 'CANCELLED';
  Timestamp: string;
  Message: string;
}

async function cancelReservation(event: unknown): Promise<CancelResponse> {
  const { ReservationId } = parseInput(cancelRequest, event);
  const reservation = await findReservation(ReservationId);
  if (!reservation) throw new ReservationNotFound(`There is no reservation ${ReservationId}.`);
  if (reservation.Status === 'CANCELLED') return alreadyCancelled(reservation);

  const cancelledAt = new Date().toISOString();
  if (!(await releaseAndCancel(reservation, cancelledAt))) {
    // A concurrent Cancel of the same reservation got there first.
    return alreadyCancelled(reservation);
  }
  countMetric('ReservationsCancelled');
  try {
    await sendEmail(cancellationEmail(reservation));
  } catch (error) {
    // The cancellation is committed; a lost email must not report it as failed.
    logger.error('Could not send the cancellation email', { reservationId: ReservationId, error });
  }
  return response(
    ReservationId,
    cancelledAt,
    `Reservation ${ReservationId} is cancelled; room ${reservation.RoomNumber} is free again from ${reservation.CheckIn} to ${reservation.CheckOut}.`,
  );
}

/**
 * Deletes the room-nights this reservation holds and marks it CANCELLED, all or nothing. A night held by
 * another reservation is never deleted; a night already gone is fine. Returns false when the reservation was
 * no longer CONFIRMED. Two Cancels of the same reservation at the same moment conflict: the transaction is sent
 * again, and then finds the reservation CANCELLED (or commits), so both answer 200 as the contract says.
 */
async function releaseAndCancel(reservation: Reservation, cancelledAt: string): Promise<boolean> {
  const outcome = await retryOnConflict(() => tryReleaseAndCancel(reservation, cancelledAt));
  if (outcome === 'conflict') {
    throw new Error(
      `Cancelling reservation ${reservation.ReservationId} kept conflicting with concurrent transactions`,
    );
  }
  return outcome;
}

async function tryReleaseAndCancel(reservation: Reservation, cancelledAt: string): Promise<boolean | 'conflict'> {
  const roomNightsTable = requireEnv('ROOM_NIGHTS_TABLE');
  try {
    await dynamo.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: requireEnv('RESERVATIONS_TABLE'),
              Key: { ReservationId: reservation.ReservationId },
              UpdateExpression: 'SET #status = :cancelled, CancelledAt = :cancelledAt',
              ConditionExpression: '#status = :confirmed',
              ExpressionAttributeNames: { '#status': 'Status' },
              ExpressionAttributeValues: {
                ':cancelled': 'CANCELLED',
                ':confirmed': 'CONFIRMED',
                ':cancelledAt': cancelledAt,
              },
            },
          },
          ...nightsOfStay(reservation.CheckIn, reservation.CheckOut).map((night) => ({
            Delete: {
              TableName: roomNightsTable,
              Key: { RoomNumber: reservation.RoomNumber, Night: night },
              ConditionExpression: 'attribute_not_exists(RoomNumber) OR ReservationId = :reservationId',
              ExpressionAttributeValues: { ':reservationId': reservation.ReservationId },
            },
          })),
        ],
      }),
    );
    return true;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException) || !error.CancellationReasons) throw error;
    const codes = error.CancellationReasons.map((reason) => reason.Code);
    // Reasons come in TransactItems order: the reservation first, then the nights.
    if (codes[0] === 'ConditionalCheckFailed') return false;
    if (codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed')) return 'conflict';
    throw error;
  }
}

function alreadyCancelled(reservation: Reservation): CancelResponse {
  return response(
    reservation.ReservationId,
    new Date().toISOString(),
    `Reservation ${reservation.ReservationId} is cancelled.`,
  );
}

function response(reservationId: string, timestamp: string, message: string): CancelResponse {
  return {
    TransactionType: 'Cancel',
    ReservationId: reservationId,
    Status: 'CANCELLED',
    Timestamp: timestamp,
    Message: message,
  };
}

export const handler = observedHandler(cancelReservation).use(publishMetrics());
