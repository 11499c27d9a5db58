/**
 * Races on the call centre, through the contract (docs/contract.md "Call centre": "Two requests can never hold
 * the same room on the same night, however many arrive at once"): requests fired together with Promise.all at
 * POST /reservations of a real local cloud (API Gateway emulator, the EXPRESS state machine run synchronously,
 * the real functions, DynamoDB Local, the SES capture), nothing mocked. After each race the tables are read
 * straight from DynamoDB Local and checked for double bookings, orphans and half-written reservations.
 * The local Lambda runner lets only 2 environments of a function run at once, so the last tests also run the
 * real handlers themselves dozens at a time against the same DynamoDB Local, as AWS would.
 * Each test books nights of its own.
 */
import { expectError, expectStatus, type Answer } from './support/assertions';
import {
  BookingTables,
  bookingInconsistencies,
  isRoomFree,
  nightsBetween,
  type StoredBookings,
} from './support/booking-tables';
import type { ApiAnswer } from './support/http';
import { loadHandlerOf } from './support/in-process-function';
import { emailsTo } from './support/outbox';
import { futureNight, reserveBody, ROOMS_BY_TYPE, type ReserveBody } from './support/reservations';
import { systemCloudOfThisFile } from './support/system-cloud';

jest.setTimeout(30_000);

const system = systemCloudOfThisFile();
let tables: BookingTables;
beforeAll(() => {
  tables = new BookingTables(system.cloud.urls.dynamodb);
});
afterAll(() => tables?.close());

const SUITES: readonly string[] = ROOMS_BY_TYPE.SUITE;

const reserve = (body: ReserveBody) => system.api.post<Answer>('/reservations', body);
const cancel = (ReservationId: string) =>
  system.api.post<Answer>('/reservations', { TransactionType: 'Cancel', ReservationId });

/** A unique client key (the contract's optional ReservationId) for a test's request. */
let keys = 0;
const clientKey = (label: string) => {
  keys += 1;
  return `${label}-${process.pid}-${keys}`;
};

/** Books a suite for `night` before a race (so the race is for what is left); returns the reservation. */
async function bookSuite(night: number): Promise<Answer> {
  const answer = await reserve(reserveBody('SUITE', night));
  expectStatus(answer, 200);
  return answer.body;
}

/**
 * The answers of a race of Reserves, split into confirmations and refusals; anything else (a 5xx above all, or a
 * 409 with another error) fails the test, listing every such answer.
 */
function confirmedOrUnavailable(answers: ApiAnswer<Answer>[]) {
  const isConfirmed = (answer: ApiAnswer<Answer>) => answer.status === 200 && answer.body.Status === 'CONFIRMED';
  const isUnavailable = (answer: ApiAnswer<Answer>) => answer.status === 409 && answer.body.error === 'RoomUnavailable';
  const unexpected = answers.filter((answer) => !isConfirmed(answer) && !isUnavailable(answer));
  expect(unexpected.map((answer) => `${answer.status} ${answer.text}`)).toEqual([]);
  return {
    confirmed: answers.filter(isConfirmed).map((answer) => answer.body),
    refusedAt: answers.flatMap((answer, index) => (isUnavailable(answer) ? [index] : [])),
  };
}

/** Both tables as stored, after checking that they hold no double booking, orphan or half-written reservation. */
async function consistentBookings(): Promise<StoredBookings> {
  const stored = await tables.read();
  expect(bookingInconsistencies(stored)).toEqual([]);
  return stored;
}

/** The stays of confirmed answers, checked pairwise from the answers alone: one room, one guest per night. */
function expectNoSharedRoomNight(confirmed: Answer[]): void {
  const taken = new Map<string, string>();
  for (const answer of confirmed) {
    for (const night of nightsBetween(answer.CheckIn as string, answer.CheckOut as string)) {
      const key = `${answer.RoomNumber as string}/${night}`;
      expect({ key, heldBy: taken.get(key) }).toEqual({ key, heldBy: undefined });
      taken.set(key, answer.ReservationId as string);
    }
  }
}

/**
 * A 409 RoomUnavailable is true only if no room of the type was free for the whole stay. In these races the
 * bookings only grow, so a room free for a refused stay once the race is over was free when it was refused.
 */
function expectNoFalseRefusal(stored: StoredBookings, rooms: readonly string[], refused: ReserveBody[]): void {
  for (const request of refused) {
    const free = rooms.filter((room) => isRoomFree(stored, room, request.CheckIn, request.CheckOut));
    expect({ stay: `${request.CheckIn}..${request.CheckOut}`, free }).toEqual({
      stay: `${request.CheckIn}..${request.CheckOut}`,
      free: [],
    });
  }
}

/** The reservations stored for the guests of `requests` (each request has a guest of its own). */
function reservationsOf(stored: StoredBookings, requests: ReserveBody[]) {
  const guests = new Set(requests.map((request) => request.GuestEmail));
  return stored.reservations.filter((reservation) => guests.has(reservation.GuestEmail));
}

test('100 concurrent Reserves for the only 2 suites of a night: 2 confirmations in different rooms, 98 × 409, nothing else stored', async () => {
  const night = 1;
  // Half the clients send their own ReservationId, half let the function make one.
  const requests = Array.from({ length: 100 }, (_, index) =>
    reserveBody('SUITE', night, index % 2 === 0 ? { ReservationId: clientKey('hundred') } : {}),
  );
  const answers = await Promise.all(requests.map(reserve));

  const { confirmed, refusedAt } = confirmedOrUnavailable(answers);
  expect(confirmed.map((answer) => answer.RoomNumber).sort()).toEqual(SUITES);
  expect(refusedAt).toHaveLength(requests.length - SUITES.length);
  for (const answer of confirmed) {
    const request = requests[answers.findIndex((candidate) => candidate.body === answer)];
    expect(answer).toMatchObject({
      RoomType: 'SUITE',
      CheckIn: request.CheckIn,
      CheckOut: request.CheckOut,
      Nights: 1,
    });
    // The client's own key, or (for the half that sent none) the UUID v8 the function derives from the execution.
    expect(answer.ReservationId).toEqual(
      request.ReservationId ??
        expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
    );
  }

  const stored = await consistentBookings();
  // Exactly the two winners are stored, and they hold exactly the two suites that night: no row, no room-night
  // of any refused request.
  const winners = confirmed.map((answer) => answer.ReservationId as string).sort();
  expect(
    reservationsOf(stored, requests)
      .map((reservation) => reservation.ReservationId)
      .sort(),
  ).toEqual(winners);
  const suiteNights = stored.roomNights.filter(
    (item) => item.Night === futureNight(night) && SUITES.includes(item.RoomNumber),
  );
  expect(suiteNights.map((item) => item.ReservationId).sort()).toEqual(winners);
});

test('overlapping 2- and 3-night stays racing for the suites: no room-night booked twice, every refusal true', async () => {
  // Stays starting on four consecutive nights, 2 or 3 nights long: 4 requests of each of these 8 stays.
  const first = 10;
  const requests = Array.from({ length: 32 }, (_, index) => {
    const start = first + (index % 4);
    const nights = 2 + (Math.floor(index / 4) % 2);
    return reserveBody('SUITE', start, { CheckOut: futureNight(start + nights), ReservationId: clientKey('overlap') });
  });
  const answers = await Promise.all(requests.map(reserve));

  const { confirmed, refusedAt } = confirmedOrUnavailable(answers);
  expect(confirmed.length).toBeGreaterThanOrEqual(SUITES.length);
  expectNoSharedRoomNight(confirmed);
  for (const answer of confirmed) {
    const request = requests.find((candidate) => candidate.ReservationId === answer.ReservationId)!;
    expect(answer).toMatchObject({
      CheckIn: request.CheckIn,
      CheckOut: request.CheckOut,
      Nights: nightsBetween(request.CheckIn, request.CheckOut).length,
    });
  }

  const stored = await consistentBookings();
  expect(
    reservationsOf(stored, requests)
      .map((reservation) => reservation.ReservationId)
      .sort(),
  ).toEqual(confirmed.map((answer) => answer.ReservationId as string).sort());
  expectNoFalseRefusal(
    stored,
    SUITES,
    refusedAt.map((index) => requests[index]),
  );
});

test('a Cancel racing Reserves for its night on a full type: at most one of them takes the freed suite, no room is lost', async () => {
  const contenders = 8;
  for (let round = 0; round < 3; round += 1) {
    const night = 20 + round;
    const victim = await bookSuite(night);
    const keeper = await bookSuite(night);
    const requests = Array.from({ length: contenders }, () => reserveBody('SUITE', night));
    // The Cancel goes out first, in the middle, then last among the Reserves.
    const cancelAt = (round * contenders) / 2;
    const sends = requests.map((request) => () => reserve(request));
    sends.splice(cancelAt, 0, () => cancel(victim.ReservationId as string));
    const answers = await Promise.all(sends.map((send) => send()));
    const [cancelled] = answers.splice(cancelAt, 1);

    expectStatus(cancelled, 200);
    expect(cancelled.body).toMatchObject({
      TransactionType: 'Cancel',
      ReservationId: victim.ReservationId,
      Status: 'CANCELLED',
    });
    const { confirmed } = confirmedOrUnavailable(answers);
    expect(confirmed.length).toBeLessThanOrEqual(1);
    for (const taker of confirmed) expect(taker.RoomNumber).toBe(victim.RoomNumber);

    const victimNow = await system.api.get<Answer>(`/reservations/${victim.ReservationId as string}`);
    expectStatus(victimNow, 200);
    expect(victimNow.body.Status).toBe('CANCELLED');

    // The freed suite is either the taker's or free: the next Reserve gets it exactly when nobody took it.
    const next = await reserve(reserveBody('SUITE', night));
    if (confirmed.length === 0) {
      expectStatus(next, 200);
      expect(next.body.RoomNumber).toBe(victim.RoomNumber);
    } else {
      expectError(next, 409, 'RoomUnavailable');
    }
    const stored = await consistentBookings();
    const holders = stored.roomNights
      .filter((item) => item.Night === futureNight(night))
      .map((item) => item.ReservationId);
    expect(holders.sort()).toEqual(
      [keeper.ReservationId, confirmed[0]?.ReservationId ?? next.body.ReservationId].sort(),
    );
  }
});

test('the same Reserve sent 10 times at once: 10 × 200 with the same reservation, one booking, one email', async () => {
  // Once with both suites free, once for the last free one (where a repeat finds no free room left to try).
  for (const [night, alreadyBooked] of [
    [30, 0],
    [31, 1],
  ]) {
    for (let booked = 0; booked < alreadyBooked; booked += 1) await bookSuite(night);
    const request = reserveBody('SUITE', night, { ReservationId: clientKey('repeat') });
    const answers = await Promise.all(Array.from({ length: 10 }, () => reserve(request)));

    for (const answer of answers) {
      expectStatus(answer, 200);
      expect(answer.body).toMatchObject({
        ReservationId: request.ReservationId,
        Status: 'CONFIRMED',
        CheckIn: request.CheckIn,
      });
    }
    const rooms = new Set(answers.map((answer) => answer.body.RoomNumber));
    expect(rooms.size).toBe(1);

    const stored = await consistentBookings();
    expect(reservationsOf(stored, [request])).toEqual([
      expect.objectContaining({
        ReservationId: request.ReservationId,
        RoomNumber: answers[0].body.RoomNumber,
        Status: 'CONFIRMED',
      }),
    ]);
    const held = stored.roomNights.filter((item) => item.ReservationId === request.ReservationId);
    expect(held).toEqual([
      { RoomNumber: answers[0].body.RoomNumber, Night: request.CheckIn, ReservationId: request.ReservationId },
    ]);
    // Every answer came after its function's email (if any) was sent, so the outbox is complete now.
    expect(await emailsTo(system.sesUrl, request.GuestEmail)).toHaveLength(1);
  }
});

test('the same Cancel sent 10 times at once: 10 × 200 CANCELLED, the suite freed once, one cancellation email', async () => {
  const night = 35;
  const request = reserveBody('SUITE', night, { ReservationId: clientKey('cancel-repeat') });
  expectStatus(await reserve(request), 200);
  const answers = await Promise.all(Array.from({ length: 10 }, () => cancel(request.ReservationId!)));

  for (const answer of answers) {
    expectStatus(answer, 200);
    expect(answer.body).toMatchObject({
      TransactionType: 'Cancel',
      ReservationId: request.ReservationId,
      Status: 'CANCELLED',
    });
  }
  const stored = await consistentBookings();
  expect(reservationsOf(stored, [request])).toEqual([
    expect.objectContaining({ Status: 'CANCELLED', CancelledAt: expect.any(String) }),
  ]);
  expect(stored.roomNights.filter((item) => item.ReservationId === request.ReservationId)).toEqual([]);
  const cancellations = await emailsTo(system.sesUrl, request.GuestEmail, (email) =>
    email.subject.includes('cancelled'),
  );
  expect(cancellations).toHaveLength(1);
});

test('one ReservationId reused by different requests at once: one is booked, the others get 400 ValidationError, nothing else stored', async () => {
  const night = 40;
  await bookSuite(night); // one suite left
  const ReservationId = clientKey('reused');
  // Other guests, other stays, another room type: none is the same request as the winner's.
  const requests = Array.from({ length: 9 }, (_, index) => {
    if (index % 3 === 0) return reserveBody('DELUXE', night, { ReservationId });
    if (index % 3 === 1) return reserveBody('SUITE', night, { ReservationId, CheckOut: futureNight(night + 2) });
    return reserveBody('SUITE', night, { ReservationId });
  });
  const answers = await Promise.all(requests.map(reserve));

  const winners = answers.filter((answer) => answer.status === 200);
  expect(winners).toHaveLength(1);
  for (const answer of answers) {
    if (answer.status === 200) continue;
    expectError(answer, 400, 'ValidationError');
    expect(answer.body.message).toContain(ReservationId);
  }
  const winner = requests[answers.indexOf(winners[0])];

  const stored = await consistentBookings();
  expect(reservationsOf(stored, requests)).toEqual([
    expect.objectContaining({
      ReservationId,
      GuestEmail: winner.GuestEmail,
      RoomType: winner.RoomType,
      CheckOut: winner.CheckOut,
    }),
  ]);
  const held = stored.roomNights.filter((item) => item.ReservationId === ReservationId);
  expect(held.map((item) => item.Night)).toEqual(nightsBetween(winner.CheckIn, winner.CheckOut));
});

describe('the functions themselves, 60 environments at once', () => {
  // Through POST /reservations the local Lambda runner keeps at most 2 environments per function (the others
  // queue), so only 2 bookings race in DynamoDB at any moment. In AWS, 100 requests may run in 100 environments:
  // here the real handlers run up to 60 at once in this process, against the same DynamoDB Local and outbox.
  let reserveRoom: (event: unknown) => Promise<unknown>;
  let cancelReservation: (event: unknown) => Promise<unknown>;
  beforeAll(async () => {
    reserveRoom = await loadHandlerOf(system, 'ReserveRoomFunction', () => import('../../functions/reserve-room/app'));
    cancelReservation = await loadHandlerOf(
      system,
      'CancelReservationFunction',
      () => import('../../functions/cancel-reservation/app'),
    );
  });

  /** Runs every request at once; fails on any error but RoomUnavailable and those `allowed`. */
  async function invokeAll(requests: ReserveBody[], allowed: string[] = []) {
    const outcomes = await Promise.allSettled(requests.map((request) => reserveRoom(request)));
    const errors = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as Error] : []));
    const unexpected = errors.filter((error) => error.name !== 'RoomUnavailable' && !allowed.includes(error.name));
    expect(unexpected.map((error) => `${error.name}: ${error.message}`)).toEqual([]);
    return outcomes.map((outcome) =>
      outcome.status === 'fulfilled' ? (outcome.value as Answer) : (outcome.reason as Error),
    );
  }

  test('60 overlapping stays of 1 to 3 nights for the suites: no room-night twice, every refusal true, nothing else stored', async () => {
    const first = 50;
    const requests = Array.from({ length: 60 }, (_, index) => {
      const start = first + (index % 5);
      return reserveBody('SUITE', start, {
        CheckOut: futureNight(start + 1 + (index % 3)),
        ReservationId: index % 2 ? clientKey('direct') : undefined,
      });
    });
    const results = await invokeAll(requests);

    const confirmed = results.filter((result): result is Answer => !(result instanceof Error));
    expect(confirmed.length).toBeGreaterThanOrEqual(SUITES.length);
    expectNoSharedRoomNight(confirmed);
    const stored = await consistentBookings();
    expect(
      reservationsOf(stored, requests)
        .map((reservation) => reservation.ReservationId)
        .sort(),
    ).toEqual(confirmed.map((answer) => answer.ReservationId as string).sort());
    expectNoFalseRefusal(
      stored,
      SUITES,
      requests.filter((_, index) => results[index] instanceof Error),
    );
  });

  test('the last free suite: one request 30 times at once is booked once, and 30 guests reusing one key get 400, never 409', async () => {
    const [repeatNight, reuseNight] = [60, 61];
    await Promise.all([bookSuite(repeatNight), bookSuite(reuseNight)]);
    const repeated = reserveBody('SUITE', repeatNight, { ReservationId: clientKey('direct-repeat') });
    const sharedKey = clientKey('direct-reused');
    const reusers = Array.from({ length: 30 }, () => reserveBody('SUITE', reuseNight, { ReservationId: sharedKey }));
    const results = await invokeAll([...Array.from({ length: 30 }, () => repeated), ...reusers], ['ValidationError']);

    const [copies, reuses] = [results.slice(0, 30), results.slice(30)];
    expect(copies.filter((result) => result instanceof Error)).toEqual([]);
    expect(new Set(copies.map((copy) => (copy as Answer).RoomNumber)).size).toBe(1);
    expect(reuses.filter((result) => !(result instanceof Error))).toHaveLength(1);
    expect(reuses.filter((result) => result instanceof Error).map((error) => (error as Error).name)).toEqual(
      Array(29).fill('ValidationError'),
    );

    const stored = await consistentBookings();
    expect(
      reservationsOf(stored, [repeated, ...reusers])
        .map((reservation) => reservation.ReservationId)
        .sort(),
    ).toEqual([repeated.ReservationId, sharedKey].sort());
    expect(await emailsTo(system.sesUrl, repeated.GuestEmail)).toHaveLength(1);
  });

  test('a Cancel among 30 Reserves of its night on a full type, twice: it is cancelled, at most one Reserve takes the suite', async () => {
    for (const night of [70, 71]) {
      const victim = await bookSuite(night);
      await bookSuite(night);
      const requests = Array.from({ length: 30 }, () => reserveBody('SUITE', night));
      const [cancelled, ...results] = await Promise.all([
        cancelReservation({ TransactionType: 'Cancel', ReservationId: victim.ReservationId }),
        invokeAll(requests),
      ]).then(([answer, reserved]) => [answer as Answer, ...reserved]);

      expect(cancelled).toMatchObject({ ReservationId: victim.ReservationId, Status: 'CANCELLED' });
      const takers = results.filter((result): result is Answer => !(result instanceof Error));
      expect(takers.length).toBeLessThanOrEqual(1);
      for (const taker of takers) expect(taker.RoomNumber).toBe(victim.RoomNumber);
      const stored = await consistentBookings();
      expect(
        stored.reservations.find((reservation) => reservation.ReservationId === victim.ReservationId)?.Status,
      ).toBe('CANCELLED');
      // The freed suite is the taker's, or still free when every Reserve looked before the Cancel freed it.
      const free = SUITES.filter((room) => isRoomFree(stored, room, futureNight(night), futureNight(night + 1)));
      expect(free).toEqual(takers.length === 1 ? [] : [victim.RoomNumber]);
    }
  });
});
