import './support/setup';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/get-reservation/app';
import { lambdaContext, proxyEvent } from './support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const context = lambdaContext('GetReservationFunction');
const cors = { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' };

function get(pathParameters: Record<string, string> | null) {
  return handler(proxyEvent({ httpMethod: 'GET', resource: '/reservations/{ReservationId}', pathParameters }), context);
}

beforeEach(() => ddb.reset());

describe('GetReservationFunction', () => {
  it('answers 200 with the stored reservation', async () => {
    const reservation = { ReservationId: 'r-1', RoomNumber: '101', Status: 'CONFIRMED', CheckIn: '2030-03-10' };
    ddb.on(GetCommand).resolves({ Item: reservation });

    const response = await get({ ReservationId: 'r-1' });

    expect(response).toEqual({ statusCode: 200, headers: cors, body: JSON.stringify(reservation) });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'ReservationsTable',
      Key: { ReservationId: 'r-1' },
      ConsistentRead: true,
    });
  });

  it('answers 404 ReservationNotFound for an unknown id', async () => {
    ddb.on(GetCommand).resolves({});

    const response = await get({ ReservationId: 'nope' });

    expect(response.statusCode).toBe(404);
    expect(response.headers).toEqual(cors);
    expect(JSON.parse(response.body)).toEqual({
      error: 'ReservationNotFound',
      message: 'There is no reservation nope.',
    });
  });

  it('answers 400 ValidationError without the path parameter', async () => {
    const response = await get(null);

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: 'ValidationError',
      message: 'Invalid request: ReservationId is required',
    });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers 500 InternalServerError, without internals, when DynamoDB fails', async () => {
    ddb.on(GetCommand).rejects(new Error('connect ECONNREFUSED 10.0.0.1:443'));

    const response = await get({ ReservationId: 'r-1' });

    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ error: 'InternalServerError', message: expect.any(String) });
    expect(response.body).not.toContain('ECONNREFUSED');
  });
});
