/**
 * The call centre end to end over HTTP (docs/contract.md "Call centre"): POST /reservations through the API
 * Gateway emulator, the EXPRESS state machine run synchronously, the real functions, DynamoDB Local and the SES
 * capture of a local cloud started for this file. Nothing is mocked. Each test books nights of its own.
 */
import { randomUUID } from 'node:crypto';
import { expectError, expectStatus, type Answer } from './support/assertions';
import { waitForEmails } from './support/outbox';
import { daysAgo, futureNight, reserveBody, ROOMS_BY_TYPE, type ReserveBody } from './support/reservations';
import { systemCloudOfThisFile } from './support/system-cloud';

jest.setTimeout(30_000);

const system = systemCloudOfThisFile();

const reserve = (body: unknown) => system.api.post<Answer>('/reservations', body);
const cancel = (ReservationId: string) =>
  system.api.post<Answer>('/reservations', { TransactionType: 'Cancel', ReservationId });

/** Books every room of `roomType` for the test night; returns the reservations. */
async function bookEveryRoom(roomType: ReserveBody['RoomType'], night: number) {
  const answers = [];
  for (let room = 0; room < ROOMS_BY_TYPE[roomType].length; room += 1) {
    const answer = await reserve(reserveBody(roomType, night));
    expectStatus(answer, 200);
    answers.push(answer.body);
  }
  return answers;
}

describe('Reserve', () => {
  test('answers 200 with the reservation, stores it and emails the guest a confirmation', async () => {
    const request = reserveBody('DELUXE', 0, { CheckOut: futureNight(3) });
    const answer = await reserve(request);
    expectStatus(answer, 200);
    expect(answer.body).toEqual({
      TransactionType: 'Reserve',
      ReservationId: expect.any(String),
      RoomNumber: expect.any(String),
      RoomType: 'DELUXE',
      CheckIn: request.CheckIn,
      CheckOut: request.CheckOut,
      Nights: 3,
      Status: 'CONFIRMED',
      Timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),
      Message: expect.any(String),
    });
    expect(ROOMS_BY_TYPE.DELUXE).toContain(answer.body.RoomNumber);

    const stored = await system.api.get(`/reservations/${answer.body.ReservationId as string}`);
    expectStatus(stored, 200);
    expect(stored.body).toMatchObject({
      ReservationId: answer.body.ReservationId,
      GuestName: request.GuestName,
      GuestEmail: request.GuestEmail,
      RoomNumber: answer.body.RoomNumber,
      RoomType: 'DELUXE',
      CheckIn: request.CheckIn,
      CheckOut: request.CheckOut,
      Nights: 3,
      Status: 'CONFIRMED',
    });

    const [email] = await waitForEmails(system.sesUrl, request.GuestEmail, 1);
    expect(`${email.subject}\n${email.body.text}`).toContain(answer.body.ReservationId as string);
    expect(email.body.text).toContain(answer.body.RoomNumber as string);
  });

  test('a guest name with quotes, a backslash, a line break and accents arrives unchanged', async () => {
    const GuestName = `Zoë "Z" O'Neil \\ Ünal\nRoom for two`;
    const answer = await reserve(reserveBody('STANDARD', 90, { GuestName }));
    expectStatus(answer, 200);
    expect(answer.body.Message).toContain(GuestName);
    const stored = await system.api.get(`/reservations/${answer.body.ReservationId as string}`);
    expect(stored.body.GuestName).toBe(GuestName);
  });

  test('409 RoomUnavailable once every room of the type is taken for a night, also for an overlapping stay', async () => {
    const booked = await bookEveryRoom('SUITE', 10);
    expect(booked.map((reservation) => reservation.RoomNumber).sort()).toEqual([...ROOMS_BY_TYPE.SUITE]);

    expectError(await reserve(reserveBody('SUITE', 10)), 409, 'RoomUnavailable');
    expectError(await reserve(reserveBody('SUITE', 9, { CheckOut: futureNight(12) })), 409, 'RoomUnavailable');
    // The nights either side are still free.
    expectStatus(await reserve(reserveBody('SUITE', 11)), 200);
  });

  test('the same Reserve sent again (same ReservationId) answers the same reservation and books nothing twice', async () => {
    const request = reserveBody('SUITE', 20, { ReservationId: `client-${randomUUID()}` });
    const first = await reserve(request);
    expectStatus(first, 200);
    const again = await reserve(request);
    expectStatus(again, 200);
    expect(again.body).toMatchObject({
      ReservationId: request.ReservationId,
      RoomNumber: first.body.RoomNumber,
      CheckIn: request.CheckIn,
      CheckOut: request.CheckOut,
      Status: 'CONFIRMED',
    });
    // Had the repeat taken a second suite, this one would find none free.
    const other = await reserve(reserveBody('SUITE', 20));
    expectStatus(other, 200);
    expect(other.body.RoomNumber).not.toBe(first.body.RoomNumber);
  });

  test('400 ValidationError naming the field for every kind of bad request', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['GuestName', { GuestName: undefined }],
      ['GuestName', { GuestName: 42 }],
      ['GuestEmail', { GuestEmail: 'not-an-address' }],
      ['RoomType', { RoomType: 'PENTHOUSE' }],
      ['CheckIn', { CheckIn: '2030-02-30x' }],
      ['CheckOut', { CheckOut: undefined }],
      ['CheckOut', { CheckIn: futureNight(40), CheckOut: futureNight(40) }],
      ['CheckOut', { CheckIn: futureNight(40), CheckOut: futureNight(39) }],
      ['CheckIn', { CheckIn: daysAgo(3), CheckOut: daysAgo(1) }],
      ['CheckOut', { CheckIn: futureNight(40), CheckOut: futureNight(71) }],
    ];
    for (const [field, change] of cases) {
      const body: Record<string, unknown> = { ...reserveBody('STANDARD', 40), ...change };
      const answer = await reserve(JSON.parse(JSON.stringify(body)));
      expectError(answer, 400, 'ValidationError');
      if (!answer.body.message!.includes(field)) {
        throw new Error(`the message for ${JSON.stringify(change)} should name ${field}: ${answer.text}`);
      }
    }
    const missingId = await system.api.post<Answer>('/reservations', { TransactionType: 'Cancel' });
    expectError(missingId, 400, 'ValidationError');
    expect(missingId.body.message).toContain('ReservationId');
    // Exactly 30 nights is allowed: the limit is "over 30".
    expectStatus(await reserve(reserveBody('STANDARD', 40, { CheckOut: futureNight(70) })), 200);
  });

  test('400 UnknownTransactionType for a TransactionType that is neither Reserve nor Cancel, or none', async () => {
    expectError(
      await reserve({ ...reserveBody('STANDARD', 50), TransactionType: 'Modify' }),
      400,
      'UnknownTransactionType',
    );
    expectError(
      await reserve({ ...reserveBody('STANDARD', 50), TransactionType: undefined }),
      400,
      'UnknownTransactionType',
    );
    expectError(await reserve([]), 400, 'UnknownTransactionType');
  });

  // In AWS the machine gets that input (not an object, so no TransactionType) and answers 400.
  test('a JSON body that is not an object (null, 0, false) answers 400 UnknownTransactionType', async () => {
    for (const body of ['null', '0', 'false']) {
      expectError(await system.api.request<Answer>('POST', '/reservations', { body }), 400, 'UnknownTransactionType');
    }
  });

  test('concurrent reserves of the last free room: exactly one wins, the others are told 409', async () => {
    const night = 60;
    const rooms = ROOMS_BY_TYPE.DELUXE;
    for (let i = 0; i < rooms.length - 1; i += 1) expectStatus(await reserve(reserveBody('DELUXE', night)), 200);

    const contenders = await Promise.all(Array.from({ length: 5 }, () => reserve(reserveBody('DELUXE', night))));
    const winners = contenders.filter((answer) => answer.status === 200);
    const losers = contenders.filter((answer) => answer.status !== 200);
    expect(winners).toHaveLength(1);
    for (const loser of losers) expectError(loser, 409, 'RoomUnavailable');

    // The winner holds the one room nobody else has that night.
    const winner = await system.api.get(`/reservations/${winners[0].body.ReservationId as string}`);
    expect(winner.body).toMatchObject({ Status: 'CONFIRMED', RoomType: 'DELUXE' });
    expectError(await reserve(reserveBody('DELUXE', night)), 409, 'RoomUnavailable');
  });
});

describe('Cancel', () => {
  test('answers 200 CANCELLED, frees the nights, and a repeated Cancel answers 200 CANCELLED again', async () => {
    const [first] = await bookEveryRoom('SUITE', 30);
    expectError(await reserve(reserveBody('SUITE', 30)), 409, 'RoomUnavailable');

    const cancelled = await cancel(first.ReservationId as string);
    expectStatus(cancelled, 200);
    expect(cancelled.body).toEqual({
      TransactionType: 'Cancel',
      ReservationId: first.ReservationId,
      Status: 'CANCELLED',
      Timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),
      Message: expect.any(String),
    });
    const stored = await system.api.get(`/reservations/${first.ReservationId as string}`);
    expectStatus(stored, 200);
    expect(stored.body.Status).toBe('CANCELLED');

    const rebooked = await reserve(reserveBody('SUITE', 30));
    expectStatus(rebooked, 200);
    expect(rebooked.body.RoomNumber).toBe(first.RoomNumber);

    const again = await cancel(first.ReservationId as string);
    expectStatus(again, 200);
    expect(again.body).toMatchObject({
      TransactionType: 'Cancel',
      ReservationId: first.ReservationId,
      Status: 'CANCELLED',
    });
    // Cancelling again must not free the room the new guest now holds.
    expectError(await reserve(reserveBody('SUITE', 30)), 409, 'RoomUnavailable');
  });

  test('404 ReservationNotFound for an unknown ReservationId', async () => {
    expectError(await cancel(`unknown-${randomUUID()}`), 404, 'ReservationNotFound');
  });
});

describe('GET /reservations/{ReservationId}', () => {
  test('404 ReservationNotFound for an unknown reservation', async () => {
    expectError(await system.api.get<Answer>(`/reservations/unknown-${randomUUID()}`), 404, 'ReservationNotFound');
  });
});

describe('sign-in', () => {
  test('401 without a token, or with only an API key (which grants nothing now), and nothing is booked', async () => {
    const request = reserveBody('SUITE', 80, { ReservationId: `no-key-${randomUUID()}` });
    for (const headers of [{}, { 'x-api-key': 'local-dev-key' }] as Record<string, string>[]) {
      const refused = await system.api.post<Answer>('/reservations', request, { as: null, headers });
      expectError(refused, 401, 'Unauthorized');
      expectStatus(await system.api.get(`/reservations/${request.ReservationId!}`, { as: null, headers }), 401);
    }
    expectError(await system.api.get<Answer>(`/reservations/${request.ReservationId!}`), 404, 'ReservationNotFound');
  });
});
