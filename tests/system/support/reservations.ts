/** Reservation requests as the call-centre page sends them, with stays far enough ahead never to be in the past. */
import { randomUUID } from 'node:crypto';

const DAY_MS = 86_400_000;

/** A date `days` after a day a year from now (YYYY-MM-DD): each test books its own nights, so tests never collide. */
export function futureNight(days: number): string {
  return new Date(Date.now() + (365 + days) * DAY_MS).toISOString().slice(0, 10);
}

export function daysAgo(days: number): string {
  return new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);
}

export interface ReserveBody {
  TransactionType: 'Reserve';
  GuestName: string;
  GuestEmail: string;
  RoomType: 'STANDARD' | 'DELUXE' | 'SUITE';
  CheckIn: string;
  CheckOut: string;
  ReservationId?: string;
}

/** A Reserve of one night (`night` days into the test calendar) for a guest with an address of their own. */
export function reserveBody(
  roomType: ReserveBody['RoomType'],
  night: number,
  overrides: Partial<ReserveBody> = {},
): ReserveBody {
  const guest = randomUUID().slice(0, 8);
  return {
    TransactionType: 'Reserve',
    GuestName: `Guest ${guest}`,
    GuestEmail: `guest-${guest}@example.com`,
    RoomType: roomType,
    CheckIn: futureNight(night),
    CheckOut: futureNight(night + 1),
    ...overrides,
  };
}

export const ROOMS_BY_TYPE = {
  STANDARD: ['101', '102', '103', '104', '105', '106', '107', '108', '109', '110'],
  DELUXE: ['201', '202', '203', '204', '205'],
  SUITE: ['301', '302'],
} as const;
