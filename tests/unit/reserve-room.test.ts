import './support/setup';
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/reserve-room/app';
import { metrics } from '../../functions/shared/infrastructure/metrics';
import { canceled } from './support/dynamodb-errors';
import { freezeClock, lambdaContext } from './support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);
const context = lambdaContext('ReserveRoomFunction');

const request = {
  TransactionType: 'Reserve',
  GuestName: 'Ada Lovelace',
  GuestEmail: 'ada@example.com',
  RoomType: 'STANDARD',
  CheckIn: '2030-03-10',
  CheckOut: '2030-03-13',
};

/** Rooms 101-103 of the type (returned out of order), with the given ones held on some night of the stay. */
function hotel(held: string[] = []) {
  ddb
    .on(QueryCommand, { IndexName: 'ByRoomType' })
    .resolves({ Items: [{ RoomNumber: '103' }, { RoomNumber: '101' }, { RoomNumber: '102' }] });
  for (const room of ['101', '102', '103']) {
    ddb
      .on(QueryCommand, { TableName: 'RoomNightsTable', ExpressionAttributeValues: { ':room': room } })
      .resolves({ Count: held.includes(room) ? 1 : 0 });
  }
}

function transactions() {
  return ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input);
}

beforeEach(() => {
  ddb.reset();
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
  ddb.on(TransactWriteCommand).resolves({});
  freezeClock('2030-03-01T09:30:00.000Z');
});

afterEach(() => jest.useRealTimers());

describe('ReserveRoomFunction', () => {
  it('books the lowest-numbered free room for every night in one transaction and emails the guest', async () => {
    hotel(['101']);
    const addMetric = jest.spyOn(metrics, 'addMetric');

    const result = await handler(request, context);

    expect(result).toEqual({
      TransactionType: 'Reserve',
      ReservationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      RoomNumber: '102',
      RoomType: 'STANDARD',
      CheckIn: '2030-03-10',
      CheckOut: '2030-03-13',
      Nights: 3,
      Status: 'CONFIRMED',
      Timestamp: '2030-03-01T09:30:00.000Z',
      Message: expect.stringContaining(
        'Room 102 (STANDARD) is reserved for Ada Lovelace from 2030-03-10 to 2030-03-13 (3 nights)',
      ),
    });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: 'RoomsTable',
      IndexName: 'ByRoomType',
      ExpressionAttributeValues: { ':roomType': 'STANDARD' },
    });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: 'RoomNightsTable',
      ExpressionAttributeValues: { ':room': '101', ':first': '2030-03-10', ':last': '2030-03-12' },
      ConsistentRead: true,
    });
    const [transaction] = transactions();
    expect(transactions()).toHaveLength(1);
    expect(transaction.TransactItems).toEqual([
      {
        Put: {
          TableName: 'ReservationsTable',
          Item: {
            ReservationId: result.ReservationId,
            GuestName: 'Ada Lovelace',
            GuestEmail: 'ada@example.com',
            RoomType: 'STANDARD',
            RoomNumber: '102',
            CheckIn: '2030-03-10',
            CheckOut: '2030-03-13',
            Nights: 3,
            Status: 'CONFIRMED',
            CreatedAt: '2030-03-01T09:30:00.000Z',
          },
          ConditionExpression: 'attribute_not_exists(ReservationId)',
        },
      },
      ...['2030-03-10', '2030-03-11', '2030-03-12'].map((Night) => ({
        Put: {
          TableName: 'RoomNightsTable',
          Item: { RoomNumber: '102', Night, ReservationId: result.ReservationId },
          ConditionExpression: 'attribute_not_exists(RoomNumber)',
        },
      })),
    ]);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      Source: 'noreply@example.com',
      Destination: { ToAddresses: ['ada@example.com'] },
    });
    const email = ses.commandCalls(SendEmailCommand)[0].args[0].input.Message!;
    expect(email.Body!.Text!.Data).toContain(`room 102 is reserved from 2030-03-10 to 2030-03-13 (3 nights)`);
    expect(email.Body!.Text!.Data).toContain(result.ReservationId);
    expect(addMetric).toHaveBeenCalledWith('ReservationsMade', 'Count', 1);
    expect(addMetric).toHaveBeenCalledWith('RoomNightsBooked', 'Count', 3);
  });

  it('tries the next free room when a concurrent booking took one of its nights first', async () => {
    hotel();
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(canceled(['None', 'None', 'ConditionalCheckFailed', 'None']))
      .resolves({});

    const result = await handler(request, context);

    expect(result.RoomNumber).toBe('102');
    expect(transactions().map((t) => t.TransactItems![1].Put!.Item!.RoomNumber)).toEqual(['101', '102']);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
  });

  it('retries the same room when DynamoDB cancels the transaction only for a conflict', async () => {
    hotel();
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(canceled(['TransactionConflict', 'None', 'None', 'None']))
      .resolves({});
    jest.spyOn(Math, 'random').mockReturnValue(0); // no pause before the retry

    const result = await handler(request, context);

    expect(result.RoomNumber).toBe('101');
    expect(transactions().map((t) => t.TransactItems![1].Put!.Item!.RoomNumber)).toEqual(['101', '101']);
  });

  it('tries a room five times while its transactions only conflict, then moves on to the next room', async () => {
    hotel();
    const conflict = canceled(['None', 'TransactionConflict', 'None', 'None']);
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(conflict)
      .rejectsOnce(conflict)
      .rejectsOnce(conflict)
      .rejectsOnce(conflict)
      .rejectsOnce(conflict)
      .resolves({});
    jest.spyOn(Math, 'random').mockReturnValue(0);

    const result = await handler(request, context);

    expect(result.RoomNumber).toBe('102');
    expect(transactions().map((t) => t.TransactItems![1].Put!.Item!.RoomNumber)).toEqual([
      '101',
      '101',
      '101',
      '101',
      '101',
      '102',
    ]);
  });

  it('throws RoomUnavailable, booking nothing, when no room of the type is free every night', async () => {
    hotel(['101', '102', '103']);

    await expect(handler(request, context)).rejects.toMatchObject({
      name: 'RoomUnavailable',
      message: 'No STANDARD room is free for every night from 2030-03-10 to 2030-03-13.',
    });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('throws RoomUnavailable when every free-looking room is taken while it books', async () => {
    hotel();
    ddb.on(TransactWriteCommand).rejects(canceled(['None', 'ConditionalCheckFailed', 'None', 'None']));

    await expect(handler(request, context)).rejects.toMatchObject({ name: 'RoomUnavailable' });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 3);
  });

  it('returns the stored reservation for a repeated ReservationId without booking or emailing again', async () => {
    const stored = {
      ...request,
      ReservationId: 'guest-key-1',
      RoomNumber: '103',
      Nights: 3,
      Status: 'CONFIRMED',
      CreatedAt: '2030-02-01T00:00:00.000Z',
    };
    ddb.on(GetCommand).resolves({ Item: stored });

    const result = await handler({ ...request, ReservationId: 'guest-key-1' }, context);

    expect(result).toMatchObject({ ReservationId: 'guest-key-1', RoomNumber: '103', Status: 'CONFIRMED', Nights: 3 });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'ReservationsTable',
      Key: { ReservationId: 'guest-key-1' },
      ConsistentRead: true,
    });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('answers with the stored reservation when the same request won the race in between', async () => {
    hotel();
    const stored = {
      ...request,
      ReservationId: 'guest-key-2',
      RoomNumber: '101',
      Nights: 3,
      Status: 'CONFIRMED',
      CreatedAt: 'x',
    };
    ddb.on(GetCommand).resolvesOnce({}).resolves({ Item: stored });
    ddb
      .on(TransactWriteCommand)
      .rejects(canceled(['ConditionalCheckFailed', 'ConditionalCheckFailed', 'None', 'None']));

    const result = await handler({ ...request, ReservationId: 'guest-key-2' }, context);

    expect(result).toMatchObject({ ReservationId: 'guest-key-2', RoomNumber: '101', Status: 'CONFIRMED' });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('answers with the stored reservation when the same request took the last free room in between', async () => {
    hotel(['101', '102', '103']); // by the time this one looks, its twin holds the last room
    const stored = {
      ...request,
      ReservationId: 'guest-key-5',
      RoomNumber: '103',
      Nights: 3,
      Status: 'CONFIRMED',
      CreatedAt: 'x',
    };
    ddb.on(GetCommand).resolvesOnce({}).resolves({ Item: stored });

    const result = await handler({ ...request, ReservationId: 'guest-key-5' }, context);

    expect(result).toMatchObject({ ReservationId: 'guest-key-5', RoomNumber: '103', Status: 'CONFIRMED' });
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 2);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('rejects a ReservationId that another guest booked into the last free room in between (400, not 409)', async () => {
    hotel(['101', '102', '103']);
    const stored = {
      ...request,
      GuestName: 'Charles Babbage',
      ReservationId: 'guest-key-6',
      RoomNumber: '103',
      Nights: 3,
      Status: 'CONFIRMED',
      CreatedAt: 'x',
    };
    ddb.on(GetCommand).resolvesOnce({}).resolves({ Item: stored });

    await expect(handler({ ...request, ReservationId: 'guest-key-6' }, context)).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('ReservationId guest-key-6'),
    });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('throws RoomUnavailable for a new ReservationId when no room is free, and stores nothing under it', async () => {
    hotel(['101', '102', '103']);
    ddb.on(GetCommand).resolves({});

    await expect(handler({ ...request, ReservationId: 'guest-key-7' }, context)).rejects.toMatchObject({
      name: 'RoomUnavailable',
    });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('rejects a ReservationId already used for a different stay', async () => {
    const stored = {
      ...request,
      ReservationId: 'guest-key-3',
      RoomNumber: '101',
      Nights: 3,
      Status: 'CONFIRMED',
      CreatedAt: 'x',
    };
    ddb.on(GetCommand).resolves({ Item: stored });

    await expect(
      handler({ ...request, CheckOut: '2030-03-14', ReservationId: 'guest-key-3' }, context),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('ReservationId guest-key-3'),
    });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('rejects a ReservationId already used by another guest for the same stay', async () => {
    const stored = {
      ...request,
      ReservationId: 'guest-key-4',
      RoomNumber: '101',
      Nights: 3,
      Status: 'CONFIRMED',
      CreatedAt: 'x',
    };
    ddb.on(GetCommand).resolves({ Item: stored });

    await expect(
      handler({ ...request, GuestName: 'Charles Babbage', ReservationId: 'guest-key-4' }, context),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('ReservationId guest-key-4'),
    });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('still confirms the booking when the confirmation email cannot be sent', async () => {
    hotel();
    ses.on(SendEmailCommand).rejects(new Error('SES is down'));

    const result = await handler(request, context);

    expect(result).toMatchObject({ RoomNumber: '101', Status: 'CONFIRMED' });
    expect(result.Message).toContain('The confirmation email could not be sent.');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('accepts a stay starting on the last day of the booking horizon, 730 days from today', async () => {
    hotel();

    const result = await handler({ ...request, CheckIn: '2032-02-29', CheckOut: '2032-03-30' }, context);

    expect(result).toMatchObject({ CheckIn: '2032-02-29', Nights: 30, Status: 'CONFIRMED' });
  });

  it('accepts a GuestEmail of exactly 254 characters', async () => {
    hotel();
    const guestEmail = `${'g'.repeat(64)}@${'h'.repeat(185)}.com`;
    expect(guestEmail).toHaveLength(254);

    const result = await handler({ ...request, GuestEmail: guestEmail }, context);

    expect(result).toMatchObject({ Status: 'CONFIRMED' });
  });

  it('accepts a stay starting today and lasting exactly 30 nights', async () => {
    hotel();

    const result = await handler({ ...request, CheckIn: '2030-03-01', CheckOut: '2030-03-31' }, context);

    expect(result.Nights).toBe(30);
    expect(transactions()[0].TransactItems).toHaveLength(31);
  });

  it.each([
    ['a missing field', { GuestName: undefined }, 'GuestName is required'],
    ['an ill-typed field', { GuestName: 42 }, 'GuestName: Invalid input: expected string, received number'],
    ['an invalid email', { GuestEmail: 'not-an-email' }, 'GuestEmail'],
    ['an unknown room type', { RoomType: 'PENTHOUSE' }, 'RoomType'],
    ['an impossible date', { CheckIn: '2030-02-30' }, 'CheckIn: must be a date YYYY-MM-DD'],
    ['CheckOut not after CheckIn', { CheckOut: '2030-03-10' }, 'CheckOut: must be after CheckIn'],
    ['CheckIn in the past', { CheckIn: '2030-02-28' }, 'CheckIn: must not be in the past'],
    ['a stay over 30 nights', { CheckOut: '2030-04-10' }, 'CheckOut: the stay must not exceed 30 nights'],
    [
      'a CheckIn past the booking horizon (9999-12-30)',
      { CheckIn: '9999-12-30', CheckOut: '9999-12-31' },
      'CheckIn: must be at most 730 days from today (the last check-in that can be booked is 2032-02-29)',
    ],
    [
      'a CheckIn the day after the horizon',
      { CheckIn: '2032-03-01', CheckOut: '2032-03-02' },
      'CheckIn: must be at most 730 days from today',
    ],
    ['a GuestEmail over 254 characters', { GuestEmail: `${'g'.repeat(64)}@${'h'.repeat(190)}.com` }, 'GuestEmail'],
    ['a GuestEmail of 2,012 characters', { GuestEmail: `${'g'.repeat(2000)}@example.com` }, 'GuestEmail'],
    ['another transaction type', { TransactionType: 'Cancel' }, 'TransactionType'],
    ['an unusable ReservationId', { ReservationId: 'has spaces' }, 'ReservationId'],
  ])('rejects %s with a ValidationError naming the field, changing nothing', async (_case, change, message) => {
    await expect(handler({ ...request, ...change }, context)).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining(message),
    });
    expect(ddb.calls()).toHaveLength(0);
    expect(ses.calls()).toHaveLength(0);
  });

  describe('without a client ReservationId, keyed by the call-centre execution (Execution.Id)', () => {
    const execution = {
      Id: 'arn:aws:states:us-east-1:123456789012:express:CallCentreStateMachine:run-1:6f1c2d3e-0000-4000-8000-000000000001',
    };
    const uuidV8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

    /** ReservationsTable as DynamoDB would keep it: what a booking transaction wrote, a GetItem reads back. */
    function reservationsTable() {
      const items = new Map<string, Record<string, unknown>>();
      ddb
        .on(TransactWriteCommand)
        .callsFake((input: { TransactItems: { Put: { Item: Record<string, unknown> } }[] }) => {
          const item = input.TransactItems[0].Put.Item;
          items.set(String(item.ReservationId), item);
          return {};
        });
      ddb
        .on(GetCommand)
        .callsFake((input: { Key: { ReservationId: string } }) => ({ Item: items.get(input.Key.ReservationId) }));
      return items;
    }

    it('books once when the state machine invokes it again for the same execution, answering the same reservation', async () => {
      hotel();
      const table = reservationsTable();

      const first = await handler({ ...request, Execution: execution }, context);
      const retried = await handler({ ...request, Execution: execution }, context);

      expect(first).toMatchObject({
        ReservationId: expect.stringMatching(uuidV8),
        RoomNumber: '101',
        Status: 'CONFIRMED',
      });
      expect(retried).toMatchObject({
        ReservationId: first.ReservationId,
        RoomNumber: '101',
        Status: 'CONFIRMED',
        Nights: 3,
      });
      // The guest made one request: the retry confirms it, it does not call it an existing reservation.
      expect(retried.Message).toBe(
        'Room 101 (STANDARD) is reserved for Ada Lovelace from 2030-03-10 to 2030-03-13 (3 nights).',
      );
      expect(transactions()).toHaveLength(1);
      expect([...table.keys()]).toEqual([first.ReservationId]);
      expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    });

    it('derives the id from the execution alone: the same execution the same id, another execution another one', async () => {
      hotel();
      ddb.on(GetCommand).resolves({});

      const first = await handler({ ...request, Execution: execution }, context);
      const again = await handler({ ...request, Execution: execution }, context);
      const other = await handler({ ...request, Execution: { Id: `${execution.Id.slice(0, -1)}2` } }, context);

      expect(again.ReservationId).toBe(first.ReservationId);
      expect(other.ReservationId).toMatch(uuidV8);
      expect(other.ReservationId).not.toBe(first.ReservationId);
    });

    it('keeps a client-sent ReservationId authoritative', async () => {
      hotel();
      ddb.on(GetCommand).resolves({});

      const result = await handler({ ...request, ReservationId: 'guest-key-8', Execution: execution }, context);

      expect(result.ReservationId).toBe('guest-key-8');
      expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: { ReservationId: 'guest-key-8' } });
    });

    it('books under a random id, without looking one up, when invoked with neither (a direct invoke)', async () => {
      hotel();

      const [first, second] = [await handler(request, context), await handler(request, context)];

      expect(first.ReservationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(second.ReservationId).not.toBe(first.ReservationId);
      expect(ddb).not.toHaveReceivedCommand(GetCommand);
    });

    it.each([
      ['not an object', 'arn:x'],
      ['without an Id', {}],
      ['with an empty Id', { Id: '' }],
      ['with a line break in its Id', { Id: 'arn:a\nb' }],
    ])('rejects an Execution %s with a ValidationError naming it, changing nothing', async (_case, Execution) => {
      await expect(handler({ ...request, Execution }, context)).rejects.toMatchObject({
        name: 'ValidationError',
        message: expect.stringContaining('Execution'),
      });
      expect(ddb.calls()).toHaveLength(0);
    });
  });

  it('rejects an event that is not an object', async () => {
    await expect(handler('Reserve' as never, context)).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
