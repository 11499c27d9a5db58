/** The hotel's reservation record (ReservationsTable) and the room-nights a stay occupies (RoomNightsTable). */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './infrastructure/clients';
import { requireEnv } from './infrastructure/env';

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

const dayMs = 86_400_000;

/** How many nights lie between two `YYYY-MM-DD` dates (negative when CheckOut comes first). */
export function countNights(checkIn: string, checkOut: string): number {
  return Math.round((Date.parse(checkOut) - Date.parse(checkIn)) / dayMs);
}

/** Every night of a stay as `YYYY-MM-DD`: CheckIn up to, not including, CheckOut (dates are UTC calendar days). */
export function nightsOfStay(checkIn: string, checkOut: string): string[] {
  const nights: string[] = [];
  for (let day = Date.parse(checkIn); day < Date.parse(checkOut); day += dayMs) {
    nights.push(new Date(day).toISOString().slice(0, 10));
  }
  return nights;
}

/** Today's UTC date as `YYYY-MM-DD`. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The stored reservation (strongly consistent read), or undefined. */
export async function findReservation(reservationId: string): Promise<Reservation | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: requireEnv('RESERVATIONS_TABLE'), Key: { ReservationId: reservationId }, ConsistentRead: true }),
  );
  return Item as Reservation | undefined;
}
