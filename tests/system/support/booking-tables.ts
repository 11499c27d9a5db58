/**
 * The call centre's tables read straight from the local cloud's DynamoDB Local (not through the API), so a test
 * sees what is really stored: every room-night (RoomNightsTable) and every reservation (ReservationsTable), and
 * can check that together they describe no double booking and nothing half-written.
 */
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { Reservation } from '../../../functions/shared/hotel/reservation';
import { dynamoDbClient } from '../../../local/services/dynamodb-local';

/** One item of RoomNightsTable: the room held for that night by that reservation. */
export interface StoredRoomNight {
  RoomNumber: string;
  Night: string;
  ReservationId: string;
}

/** One item of ReservationsTable: the functions' own record type (a type only, so no function code is loaded). */
export type StoredReservation = Reservation;

export interface StoredBookings {
  roomNights: StoredRoomNight[];
  reservations: StoredReservation[];
}

/** Local table names are the template's logical ids (docs/ARCHITECTURE.md "Tables"). */
const ROOM_NIGHTS_TABLE = 'RoomNightsTable';
const RESERVATIONS_TABLE = 'ReservationsTable';

export class BookingTables {
  private readonly documents: DynamoDBDocumentClient;

  constructor(dynamodbUrl: string) {
    this.documents = DynamoDBDocumentClient.from(dynamoDbClient(dynamodbUrl));
  }

  /** Both tables whole (consistent reads; each test file has a cloud of its own, so they stay small). */
  async read(): Promise<StoredBookings> {
    const [roomNights, reservations] = await Promise.all([
      this.scan<StoredRoomNight>(ROOM_NIGHTS_TABLE),
      this.scan<StoredReservation>(RESERVATIONS_TABLE),
    ]);
    return { roomNights, reservations };
  }

  close(): void {
    this.documents.destroy();
  }

  private async scan<Item>(tableName: string): Promise<Item[]> {
    const items: Item[] = [];
    for await (const page of paginateScan({ client: this.documents }, { TableName: tableName, ConsistentRead: true })) {
      items.push(...((page.Items ?? []) as Item[]));
    }
    return items;
  }
}

const DAY_MS = 86_400_000;

/**
 * The nights of a stay, CheckIn up to but not including CheckOut, as `YYYY-MM-DD` (UTC calendar days). Computed
 * here rather than imported from functions/shared/hotel/stay.ts on purpose: the oracle that judges the stored
 * bookings must not share the code under test.
 */
export function nightsBetween(checkIn: string, checkOut: string): string[] {
  const nights: string[] = [];
  for (let day = Date.parse(checkIn); day < Date.parse(checkOut); day += DAY_MS)
    nights.push(new Date(day).toISOString().slice(0, 10));
  return nights;
}

/**
 * Every way the stored bookings can contradict each other, as sentences (none when consistent):
 * - a room-night that names a reservation that does not exist, is not CONFIRMED, is for another room or does not
 *   include that night (an orphan left by a refused, failed or cancelled request);
 * - a CONFIRMED reservation with a night its room-night item does not attribute to it (held by another, or not
 *   held at all: the room could be sold twice);
 * - two CONFIRMED reservations of one room sharing a night (a double booking).
 */
export function bookingInconsistencies({ roomNights, reservations }: StoredBookings): string[] {
  const problems: string[] = [];
  const reservationsById = new Map(reservations.map((reservation) => [reservation.ReservationId, reservation]));
  const holder = new Map(roomNights.map((item) => [`${item.RoomNumber}/${item.Night}`, item.ReservationId]));

  for (const item of roomNights) {
    const owner = reservationsById.get(item.ReservationId);
    const where = `room ${item.RoomNumber} on ${item.Night}`;
    if (!owner) problems.push(`${where} is held by ${item.ReservationId}, which is not stored`);
    else if (owner.Status !== 'CONFIRMED')
      problems.push(`${where} is held by ${item.ReservationId}, which is ${owner.Status}`);
    else if (
      owner.RoomNumber !== item.RoomNumber ||
      !nightsBetween(owner.CheckIn, owner.CheckOut).includes(item.Night)
    ) {
      problems.push(
        `${where} is held by ${item.ReservationId}, whose stay is room ${owner.RoomNumber} ${owner.CheckIn}..${owner.CheckOut}`,
      );
    }
  }

  const confirmedByRoomNight = new Map<string, string[]>();
  for (const reservation of reservations) {
    if (reservation.Status !== 'CONFIRMED') continue;
    const nights = nightsBetween(reservation.CheckIn, reservation.CheckOut);
    if (reservation.Nights !== nights.length) {
      problems.push(
        `${reservation.ReservationId} says ${reservation.Nights} nights for ${reservation.CheckIn}..${reservation.CheckOut}`,
      );
    }
    for (const night of nights) {
      const key = `${reservation.RoomNumber}/${night}`;
      const heldBy = holder.get(key);
      if (heldBy !== reservation.ReservationId) {
        problems.push(
          `${reservation.ReservationId} is CONFIRMED for room ${key} but that night is ${heldBy ? `held by ${heldBy}` : 'not held'}`,
        );
      }
      confirmedByRoomNight.set(key, [...(confirmedByRoomNight.get(key) ?? []), reservation.ReservationId]);
    }
  }
  for (const [key, ids] of confirmedByRoomNight) {
    if (ids.length > 1) problems.push(`room ${key} is booked ${ids.length} times: ${ids.join(', ')}`);
  }
  return problems;
}

/** Whether `roomNumber` is free (no room-night item) for every night from checkIn to checkOut. */
export function isRoomFree(
  { roomNights }: StoredBookings,
  roomNumber: string,
  checkIn: string,
  checkOut: string,
): boolean {
  const nights = new Set(nightsBetween(checkIn, checkOut));
  return !roomNights.some((item) => item.RoomNumber === roomNumber && nights.has(item.Night));
}
