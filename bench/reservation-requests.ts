/**
 * The Reserve requests the reservations benchmark sends: valid, as the call-centre page sends them (with a client
 * ReservationId), each from a guest of their own, and the same sequence on every run (a fixed seed), so two runs
 * differ only in how far into the sequence the machine gets.
 *
 * Most requests are spread over a calendar of their own (every room type in proportion to its rooms, stays of 1 to
 * 3 nights over `calendarNights` nights), so nearly all of them find a room. One in HOT_NIGHT_EVERY asks for a
 * suite on one and the same night (the calendar's "sold-out night"): once its two suites are taken those answer
 * 409 RoomUnavailable, so the 409 path is measured too, in a share that hardly depends on the machine's speed.
 */
import { futureNight, ROOMS_BY_TYPE, type ReserveBody } from '../tests/system/support/reservations';

type RoomType = ReserveBody['RoomType'];

const HOT_NIGHT_EVERY = 20;
const MAX_STAY_NIGHTS = 3;
const FIRST_NAMES = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'John',
  'Katherine',
  'Ken',
  'Margaret',
  'Niklaus',
  'Radia',
  'Tim',
  'Sophie',
  'Dennis',
];
const LAST_NAMES = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Backus',
  'Johnson',
  'Thompson',
  'Hamilton',
  'Wirth',
  'Perlman',
  'Berners-Lee',
  'Wilson',
  'Ritchie',
];
/** Each room type as often as it has rooms: 10 STANDARD, 5 DELUXE, 2 SUITE in 17 draws. */
const ROOM_TYPE_DRAWS: RoomType[] = (Object.keys(ROOMS_BY_TYPE) as RoomType[]).flatMap((type) =>
  ROOMS_BY_TYPE[type].map(() => type),
);

/**
 * mulberry32, a small seeded generator: written out because only the reproducible sequence matters here (no
 * statistical or cryptographic quality), and the project declares no PRNG library.
 */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ReservationRequestOptions {
  /** Tells the sequences apart (in ReservationIds and emails) and seeds each differently. */
  label: string;
  seed: number;
  /** The calendar's first night, in days after futureNight(0) (a year from now). */
  firstNight: number;
  calendarNights: number;
}

/** How many nights a calendar of `calendarNights` takes up in all, its sold-out night included. */
export function calendarSpan(calendarNights: number): number {
  return calendarNights + MAX_STAY_NIGHTS + 1;
}

/** An endless, reproducible sequence of Reserve requests; `next()` is the next one. */
export function reservationRequests(options: ReservationRequestOptions): { next(): ReserveBody } {
  const random = seededRandom(options.seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const soldOutNight = options.firstNight + options.calendarNights + MAX_STAY_NIGHTS;
  let sent = 0;
  return {
    next() {
      const index = sent++;
      const hot = index % HOT_NIGHT_EVERY === HOT_NIGHT_EVERY - 1;
      const checkIn = hot ? soldOutNight : options.firstNight + Math.floor(random() * options.calendarNights);
      const nights = hot ? 1 : 1 + Math.floor(random() * MAX_STAY_NIGHTS);
      const first = pick(FIRST_NAMES);
      const last = pick(LAST_NAMES);
      const id = `${options.label}-${String(index).padStart(6, '0')}`;
      return {
        TransactionType: 'Reserve',
        GuestName: `${first} ${last}`,
        GuestEmail: `${first}.${last}.${id}@example.com`.toLowerCase(),
        RoomType: hot ? 'SUITE' : pick(ROOM_TYPE_DRAWS),
        CheckIn: futureNight(checkIn),
        CheckOut: futureNight(checkIn + nights),
        ReservationId: `bench-${id}`,
      };
    },
  };
}
