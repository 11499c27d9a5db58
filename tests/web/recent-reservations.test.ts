import { RecentReservations, type Reservation } from '../../web/callcenter/recent-reservations';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const data = new Map<string, string>();
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const reservation = (id: string): Reservation => ({
  ReservationId: id,
  GuestName: 'Ann',
  GuestEmail: 'ann@example.com',
  RoomType: 'SUITE',
  RoomNumber: '301',
  CheckIn: '2026-03-10',
  CheckOut: '2026-03-12',
  Nights: 2,
  Status: 'CONFIRMED',
});

describe('recent reservations', () => {
  it('keeps the newest first, updates in place and marks cancellations', () => {
    const recent = new RecentReservations(memoryStorage(), () => Date.UTC(2026, 2, 10));
    recent.remember(reservation('a'));
    recent.remember(reservation('b'));
    recent.markCancelled('a');
    expect(recent.list().map((r) => [r.ReservationId, r.Status])).toEqual([
      ['a', 'CANCELLED'],
      ['b', 'CONFIRMED'],
    ]);
    expect(recent.list()[0]!.UpdatedAt).toBe('2026-03-10T00:00:00.000Z');
    recent.markCancelled('unknown');
    expect(recent.list()).toHaveLength(2);
  });

  it('starts afresh when the stored list is unreadable, and keeps at most 20', () => {
    const storage = memoryStorage();
    storage.setItem('recentReservations', '{not json');
    const recent = new RecentReservations(storage);
    expect(recent.list()).toEqual([]);
    for (let i = 0; i < 25; i++) recent.remember(reservation(`r${i}`));
    expect(recent.list()).toHaveLength(20);
    expect(recent.list()[0]!.ReservationId).toBe('r24');
  });
});
