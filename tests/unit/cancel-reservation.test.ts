import './support/setup';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/cancel-reservation/app';
import { metrics } from '../../functions/shared/infrastructure/metrics';
import { canceled } from './support/dynamodb-errors';
import { freezeClock, lambdaContext } from './support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);
const context = lambdaContext('CancelReservationFunction');

const confirmed = {
  ReservationId: 'r-1',
  GuestName: 'Ada <Lovelace>',
  GuestEmail: 'ada@example.com',
  RoomType: 'DELUXE',
  RoomNumber: '201',
  CheckIn: '2030-03-10',
  CheckOut: '2030-03-12',
  Nights: 2,
  Status: 'CONFIRMED',
  CreatedAt: '2030-02-01T00:00:00.000Z',
};

beforeEach(() => {
  ddb.reset();
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
  ddb.on(TransactWriteCommand).resolves({});
  freezeClock('2030-03-01T09:30:00.000Z');
});

afterEach(() => jest.useRealTimers());

describe('CancelReservationFunction', () => {
  it('releases every room-night and marks the reservation CANCELLED in one transaction, then emails the guest', async () => {
    ddb.on(GetCommand).resolves({ Item: confirmed });
    const addMetric = jest.spyOn(metrics, 'addMetric');

    const result = await handler({ TransactionType: 'Cancel', ReservationId: 'r-1' }, context);

    expect(result).toEqual({
      TransactionType: 'Cancel',
      ReservationId: 'r-1',
      Status: 'CANCELLED',
      Timestamp: '2030-03-01T09:30:00.000Z',
      Message: 'Reservation r-1 is cancelled; room 201 is free again from 2030-03-10 to 2030-03-12.',
    });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'ReservationsTable',
      Key: { ReservationId: 'r-1' },
      ConsistentRead: true,
    });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems).toEqual([
      {
        Update: {
          TableName: 'ReservationsTable',
          Key: { ReservationId: 'r-1' },
          UpdateExpression: 'SET #status = :cancelled, CancelledAt = :cancelledAt',
          ConditionExpression: '#status = :confirmed',
          ExpressionAttributeNames: { '#status': 'Status' },
          ExpressionAttributeValues: {
            ':cancelled': 'CANCELLED',
            ':confirmed': 'CONFIRMED',
            ':cancelledAt': '2030-03-01T09:30:00.000Z',
          },
        },
      },
      ...['2030-03-10', '2030-03-11'].map((Night) => ({
        Delete: {
          TableName: 'RoomNightsTable',
          Key: { RoomNumber: '201', Night },
          ConditionExpression: 'attribute_not_exists(RoomNumber) OR ReservationId = :reservationId',
          ExpressionAttributeValues: { ':reservationId': 'r-1' },
        },
      })),
    ]);
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, { Destination: { ToAddresses: ['ada@example.com'] } });
    const body = ses.commandCalls(SendEmailCommand)[0].args[0].input.Message!.Body!;
    expect(body.Html!.Data).toContain('Dear Ada &lt;Lovelace&gt;,');
    expect(body.Text!.Data).toContain('reservation r-1 for room 201 from 2030-03-10 to 2030-03-12 is cancelled');
    expect(addMetric).toHaveBeenCalledWith('ReservationsCancelled', 'Count', 1);
  });

  it('answers 200 CANCELLED again for an already cancelled reservation, changing nothing', async () => {
    ddb
      .on(GetCommand)
      .resolves({ Item: { ...confirmed, Status: 'CANCELLED', CancelledAt: '2030-02-15T00:00:00.000Z' } });

    const result = await handler({ TransactionType: 'Cancel', ReservationId: 'r-1' }, context);

    expect(result).toMatchObject({ TransactionType: 'Cancel', ReservationId: 'r-1', Status: 'CANCELLED' });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('answers CANCELLED when a concurrent Cancel committed first', async () => {
    ddb.on(GetCommand).resolves({ Item: confirmed });
    ddb.on(TransactWriteCommand).rejects(canceled(['ConditionalCheckFailed', 'None', 'None']));

    await expect(handler({ ReservationId: 'r-1' }, context)).resolves.toMatchObject({ Status: 'CANCELLED' });
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('answers CANCELLED when a concurrent Cancel of the same reservation conflicted with it', async () => {
    ddb.on(GetCommand).resolves({ Item: confirmed });
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(canceled(['TransactionConflict', 'None', 'None']))
      .rejects(canceled(['ConditionalCheckFailed', 'None', 'None']));
    jest.spyOn(Math, 'random').mockReturnValue(0); // no pause before the retry

    await expect(handler({ ReservationId: 'r-1' }, context)).resolves.toMatchObject({ Status: 'CANCELLED' });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('frees the nights on a second try when the first transaction only conflicted', async () => {
    ddb.on(GetCommand).resolves({ Item: confirmed });
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(canceled(['None', 'TransactionConflict', 'None']))
      .resolves({});
    jest.spyOn(Math, 'random').mockReturnValue(0);

    await expect(handler({ ReservationId: 'r-1' }, context)).resolves.toMatchObject({
      Status: 'CANCELLED',
      Message: expect.stringContaining('room 201 is free again'),
    });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
  });

  it('fails with an error naming the reservation after five tries that all conflicted', async () => {
    ddb.on(GetCommand).resolves({ Item: confirmed });
    ddb.on(TransactWriteCommand).rejects(canceled(['None', 'TransactionConflict', 'None']));
    jest.spyOn(Math, 'random').mockReturnValue(0);

    await expect(handler({ ReservationId: 'r-1' }, context)).rejects.toThrow(
      'Cancelling reservation r-1 kept conflicting',
    );
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 5);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('fails, changing nothing, when a night of the stay is held by another reservation', async () => {
    ddb.on(GetCommand).resolves({ Item: confirmed });
    ddb.on(TransactWriteCommand).rejects(canceled(['None', 'ConditionalCheckFailed', 'None']));

    await expect(handler({ ReservationId: 'r-1' }, context)).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('still reports the cancellation when the email cannot be sent', async () => {
    ddb.on(GetCommand).resolves({ Item: confirmed });
    ses.on(SendEmailCommand).rejects(new Error('SES is down'));

    await expect(handler({ ReservationId: 'r-1' }, context)).resolves.toMatchObject({ Status: 'CANCELLED' });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('throws ReservationNotFound for an unknown ReservationId', async () => {
    ddb.on(GetCommand).resolves({});

    await expect(handler({ TransactionType: 'Cancel', ReservationId: 'nope' }, context)).rejects.toMatchObject({
      name: 'ReservationNotFound',
      message: 'There is no reservation nope.',
    });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it.each([
    [{ TransactionType: 'Cancel' }, 'ReservationId is required'],
    [{ ReservationId: 7 }, 'ReservationId'],
    [{ ReservationId: '  ' }, 'ReservationId: must not be empty'],
    [{ TransactionType: 'Reserve', ReservationId: 'r-1' }, 'TransactionType'],
  ])('rejects %j with a ValidationError naming the field', async (event, message) => {
    await expect(handler(event, context)).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining(message),
    });
    expect(ddb.calls()).toHaveLength(0);
  });
});
