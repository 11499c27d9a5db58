/** The hotel's reservation record (ReservationsTable). */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../infrastructure/clients';
import { requireEnv } from '../infrastructure/env';

export const roomTypes = ['STANDARD', 'DELUXE', 'SUITE'] as const;
export type RoomType = (typeof roomTypes)[number];

export interface Reservation {
  ReservationId: string;
  GuestName: string;
  GuestEmail: string;
  RoomType: RoomType;
  RoomNumber: string;
  CheckIn: string;
  CheckOut: string;
  Nights: number;
  Status: 'CONFIRMED' | 'CANCELLED';
  CreatedAt: string;
  CancelledAt?: string;
}

/** The stored reservation (strongly consistent read), or undefined. */
export async function findReservation(reservationId: string): Promise<Reservation | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: requireEnv('RESERVATIONS_TABLE'),
      Key: { ReservationId: reservationId },
      ConsistentRead: true,
    }),
  );
  return Item as Reservation | undefined;
}
