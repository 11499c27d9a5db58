/**
 * The reservations an agent handled in this browser session, newest first, kept in sessionStorage so a
 * reload keeps them but closing the tab forgets the guests' details. Storage is injected for tests.
 */
export interface Reservation {
  ReservationId: string;
  GuestName: string;
  GuestEmail: string;
  RoomType: string;
  RoomNumber: string;
  CheckIn: string;
  CheckOut: string;
  Nights: number;
  Status: 'CONFIRMED' | 'CANCELLED';
  UpdatedAt?: string;
}

const KEY = 'recentReservations';
const LIMIT = 20;

export class RecentReservations {
  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'>,
    private readonly now: () => number = Date.now,
  ) {}

  list(): Reservation[] {
    try {
      const parsed: unknown = JSON.parse(this.storage.getItem(KEY) ?? '[]');
      return Array.isArray(parsed) ? (parsed as Reservation[]).filter((r) => typeof r?.ReservationId === 'string') : [];
    } catch {
      return []; // unreadable (edited by hand, or storage disabled): start afresh
    }
  }

  /** Adds or updates a reservation and moves it to the top. */
  remember(reservation: Reservation): void {
    const rest = this.list().filter((r) => r.ReservationId !== reservation.ReservationId);
    this.save([{ ...reservation, UpdatedAt: new Date(this.now()).toISOString() }, ...rest].slice(0, LIMIT));
  }

  markCancelled(reservationId: string): void {
    const found = this.list().find((r) => r.ReservationId === reservationId);
    if (found) this.remember({ ...found, Status: 'CANCELLED' });
  }

  private save(items: Reservation[]): void {
    try {
      this.storage.setItem(KEY, JSON.stringify(items));
    } catch {
      // storage full or disabled: the list simply is not kept
    }
  }
}
