/**
 * The real functions, built with their template settings, run by the Lambda runner against the real
 * DynamoDB Local and the SES capture, with tables and rooms made from template.yaml as `npm start` makes them.
 */
import { ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { LambdaRunner } from '../../local/lambda-runner';
import { IntrinsicResolver } from '../../local/template/intrinsics';
import { dynamoDbClient, startDynamoDbLocal } from '../../local/services/dynamodb-local';
import { freePorts } from '../../local/services/ports';
import { seedRooms } from '../../local/provisioning/seed';
import { capturedEmails, startSesCapture } from '../../local/services/ses-capture';
import type { LocalService } from '../../local/services/service';
import { ensureTables, tableDefinitions } from '../../local/provisioning/tables';
import { loadTemplate } from '../../local/template/load';
import { XRayCollector } from '../../local/xray/collector';
import { functionBundles } from '../support/function-bundles';
import { eventually } from '../support/eventually';

jest.setTimeout(60_000);

const template = loadTemplate();
const region = 'us-east-1';

describe('functions against DynamoDB Local and the SES capture', () => {
  let dynamodb: LocalService;
  let ses: LocalService;
  let xray: XRayCollector;
  let client: DynamoDBClient;
  let documents: DynamoDBDocumentClient;
  let runner: LambdaRunner;

  beforeAll(async () => {
    const bundles = functionBundles();
    const [ddbPort, sesPort] = await freePorts(2);
    [dynamodb, ses, xray] = await Promise.all([
      startDynamoDbLocal({ port: ddbPort }),
      startSesCapture({ port: sesPort }),
      XRayCollector.start(),
      bundles.build(),
    ]);
    client = dynamoDbClient(dynamodb.endpoint);
    documents = DynamoDBDocumentClient.from(client);
    runner = new LambdaRunner({
      template,
      region,
      codeRoot: bundles.codeRoot,
      endpoints: { dynamodb: dynamodb.endpoint, ses: ses.endpoint },
      xray,
    });
  });

  afterAll(async () => {
    runner?.close();
    client?.destroy();
    await Promise.all([dynamodb?.stop(), ses?.stop(), xray?.close()]);
  });

  it('creates the template tables (idempotently) and seeds the rooms', async () => {
    const definitions = tableDefinitions(template, new IntrinsicResolver(template, { region }));
    const tables = ['IncidentCountsTable', 'IncidentsTable', 'ReservationsTable', 'RoomNightsTable', 'RoomsTable'];
    const first = await ensureTables(client, definitions);
    expect(first.created.sort()).toEqual(tables);
    const again = await ensureTables(client, definitions);
    expect(again.created).toEqual([]);
    expect(again.existing.sort()).toEqual(tables);
    expect(again.mismatched).toEqual([]);
    expect((await client.send(new ListTablesCommand({}))).TableNames?.sort()).toEqual(tables);

    expect(await seedRooms(client)).toBe(17);
    expect(await seedRooms(client)).toBe(17);
    const rooms = (await documents.send(new ScanCommand({ TableName: 'RoomsTable' }))).Items ?? [];
    expect(rooms).toHaveLength(17);
    const suites = await documents.send(
      new QueryCommand({
        TableName: 'RoomsTable',
        IndexName: 'ByRoomType',
        KeyConditionExpression: 'RoomType = :t',
        ExpressionAttributeValues: { ':t': 'SUITE' },
      }),
    );
    expect(suites.Items?.map((room) => room.RoomNumber)).toEqual(['301', '302']);
  });

  it('reserves a room: the reservation and its room-nights are stored and the guest is emailed', async () => {
    // A stay a year from now: inside the 730 days a Reserve may be made ahead, on the real clock the function reads.
    const today = Date.now();
    const night = (days: number) => new Date(today + days * 86_400_000).toISOString().slice(0, 10);
    const [checkIn, secondNight, checkOut] = [night(365), night(366), night(367)];
    const request = {
      TransactionType: 'Reserve',
      GuestName: 'Grace Hopper',
      GuestEmail: 'grace@example.com',
      RoomType: 'SUITE',
      CheckIn: checkIn,
      CheckOut: checkOut,
      ReservationId: 'it-reservation-1',
    };
    const result = await runner.invoke('ReserveRoomFunction', request);
    expect(result.functionError).toBeUndefined();
    expect(result.payload).toMatchObject({
      TransactionType: 'Reserve',
      ReservationId: 'it-reservation-1',
      Status: 'CONFIRMED',
      Nights: 2,
    });
    const roomNumber = (result.payload as { RoomNumber: string }).RoomNumber;

    const reservation = await documents.send(
      new GetCommand({ TableName: 'ReservationsTable', Key: { ReservationId: 'it-reservation-1' } }),
    );
    expect(reservation.Item).toMatchObject({
      GuestEmail: 'grace@example.com',
      RoomNumber: roomNumber,
      Status: 'CONFIRMED',
    });
    const nights = await documents.send(
      new QueryCommand({
        TableName: 'RoomNightsTable',
        KeyConditionExpression: 'RoomNumber = :r',
        ExpressionAttributeValues: { ':r': roomNumber },
      }),
    );
    expect(nights.Items?.map((item) => item.Night)).toEqual([checkIn, secondNight]);

    const emails = await capturedEmails(ses.endpoint);
    expect(emails.filter((email) => email.destination.to.includes('grace@example.com'))).toHaveLength(1);
  });

  it('reports a domain error as a Lambda function error with the error name as errorType', async () => {
    const result = await runner.invoke('CancelReservationFunction', {
      TransactionType: 'Cancel',
      ReservationId: 'no-such-reservation',
    });
    expect(result.functionError).toBe('Unhandled');
    expect(result.payload).toMatchObject({ errorType: 'ReservationNotFound' });
  });

  it('cancels the reservation and frees its nights', async () => {
    const result = await runner.invoke('arn:aws:lambda:us-east-1:123456789012:function:CancelReservationFunction', {
      TransactionType: 'Cancel',
      ReservationId: 'it-reservation-1',
    });
    expect(result.payload).toMatchObject({
      TransactionType: 'Cancel',
      ReservationId: 'it-reservation-1',
      Status: 'CANCELLED',
    });
    const reservation = await documents.send(
      new GetCommand({ TableName: 'ReservationsTable', Key: { ReservationId: 'it-reservation-1' } }),
    );
    expect(reservation.Item?.Status).toBe('CANCELLED');
    const nights = await documents.send(new ScanCommand({ TableName: 'RoomNightsTable' }));
    expect(nights.Items).toEqual([]);
  });

  it("collects the functions' X-Ray subsegments (the handler's and one per AWS call) under the runner's function segment", async () => {
    const traceHeader = 'Root=1-6a000000-00000000000000000000abcd;Parent=1111222233334444;Sampled=1';
    await runner.invoke(
      'CancelReservationFunction',
      { TransactionType: 'Cancel', ReservationId: 'it-reservation-1' },
      { traceHeader },
    );
    const trace = await eventually("the function's subsegments", async () => {
      const found = xray.getTrace('1-6a000000-00000000000000000000abcd');
      return found?.segments.some((segment) => segment.type === 'subsegment') ? found : undefined;
    });
    const functionSegment = trace.segments.find((segment) => segment.origin === 'AWS::Lambda::Function');
    expect(functionSegment).toMatchObject({ name: 'CancelReservationFunction', parent_id: '1111222233334444' });
    const subsegments = trace.segments.filter((segment) => segment.type === 'subsegment');
    const handlerSegment = subsegments.find((segment) => segment.parent_id === functionSegment?.id);
    expect(handlerSegment).toMatchObject({
      name: '## app.handler',
      annotations: { ColdStart: expect.any(Boolean), Service: 'serverless-workflows' },
    });
    // One subsegment per AWS call, under the handler's: the reservation read, then the update and the emails.
    const awsCalls = subsegments.filter((segment) => segment.parent_id === handlerSegment?.id);
    expect(awsCalls.length).toBeGreaterThan(0);
    for (const call of awsCalls)
      expect(call).toMatchObject({ namespace: 'aws', aws: { operation: expect.any(String) } });
    expect(awsCalls.map((call) => call.name)).toContain('DynamoDB');
  });
});
