import './support/setup';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import rooms from '../../data/rooms.json';
import { handler } from '../../functions/seed-rooms/app';
import { logger } from '../../functions/shared/infrastructure/logger';
import { lambdaContext } from './support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const context = lambdaContext('SeedRoomsFunction');

/** Stands in for CloudFormation's pre-signed S3 URL and records what it receives. */
let server: Server;
let responseUrl: string;
let received: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }[];
let answerStatus: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(answerStatus).end(answerStatus === 200 ? '' : '<Error>SignatureDoesNotMatch</Error>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cfn-response/abc?X-Amz-Signature=sig`;
});

afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  ddb.reset();
  ddb.on(PutCommand).resolves({});
  received = [];
  answerStatus = 200;
});

/** A port nothing listens on: one the system just handed out and that was closed again. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function request(RequestType: string, extra: object = {}) {
  return {
    RequestType,
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:SeedRoomsFunction',
    ResponseURL: responseUrl,
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/hotel/guid',
    RequestId: 'req-1',
    LogicalResourceId: 'SeedRooms',
    ResourceType: 'Custom::SeedRooms',
    ResourceProperties: {},
    ...extra,
  };
}

describe('SeedRoomsFunction', () => {
  // An Update is what a changed data/rooms.json sends: the template's RoomsHash property changed with the file.
  const changedRoomsHash = {
    PhysicalResourceId: 'SeedRooms',
    OldResourceProperties: { RoomsHash: 'a'.repeat(64) },
    ResourceProperties: { RoomsHash: 'b'.repeat(64) },
  };

  it.each(['Create', 'Update'])(
    'on %s puts every room into ROOMS_TABLE and answers SUCCESS through the ResponseURL',
    async (type) => {
      const result = await handler(request(type, type === 'Update' ? changedRoomsHash : {}), context);

      expect(ddb).toHaveReceivedCommandTimes(PutCommand, 17);
      for (const room of rooms)
        expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'RoomsTable', Item: room });
      expect(received).toHaveLength(1);
      const [answer] = received;
      expect(answer.method).toBe('PUT');
      expect(answer.url).toBe('/cfn-response/abc?X-Amz-Signature=sig');
      expect(answer.headers['content-type'] ?? '').toBe('');
      expect(JSON.parse(answer.body)).toEqual({
        Status: 'SUCCESS',
        PhysicalResourceId: 'SeedRooms',
        StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/hotel/guid',
        RequestId: 'req-1',
        LogicalResourceId: 'SeedRooms',
        Data: { RoomCount: 17 },
      });
      expect(result.Status).toBe('SUCCESS');
    },
  );

  it('on Delete leaves the table alone and answers SUCCESS with the same physical id', async () => {
    await handler(request('Delete', { PhysicalResourceId: 'SeedRooms' }), context);

    expect(ddb.calls()).toHaveLength(0);
    expect(JSON.parse(received[0].body)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'SeedRooms' });
  });

  it('answers FAILED with the reason when DynamoDB refuses the rooms', async () => {
    ddb.on(PutCommand).rejects(new Error('Requested resource not found'));

    const result = await handler(request('Create'), context);

    expect(result.Status).toBe('FAILED');
    const answer = JSON.parse(received[0].body);
    expect(answer).toMatchObject({ Status: 'FAILED', RequestId: 'req-1', LogicalResourceId: 'SeedRooms' });
    expect(answer.Reason).toContain('Requested resource not found');
    expect(answer.Reason).toContain(context.logStreamName);
  });

  it('answers FAILED for an unknown request type', async () => {
    await handler(request('Replace'), context);

    expect(JSON.parse(received[0].body)).toMatchObject({
      Status: 'FAILED',
      Reason: expect.stringContaining('Unknown RequestType "Replace"'),
    });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('fails the invocation, so that it is retried, when CloudFormation does not accept the answer', async () => {
    answerStatus = 403;

    await expect(handler(request('Create'), context)).rejects.toMatchObject({
      name: 'CloudFormationResponseFailed',
      message: `${new URL(responseUrl).origin} did not accept the SUCCESS response: HTTP 403 <Error>SignatureDoesNotMatch</Error>`,
    });
  });

  it('fails the invocation with a named error and logs it when the ResponseURL cannot be reached, naming no signature', async () => {
    const logged = jest.spyOn(logger, 'error');
    const closedPort = await freePort();
    const unreachable = `http://127.0.0.1:${closedPort}/cfn-response/abc?X-Amz-Signature=secret-signature`;

    const invocation = handler(request('Create', { ResponseURL: unreachable }), context);

    await expect(invocation).rejects.toMatchObject({
      name: 'CloudFormationResponseFailed',
      message: `Could not send the SUCCESS response to http://127.0.0.1:${closedPort}: connect ECONNREFUSED 127.0.0.1:${closedPort}`,
    });
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 17);
    expect(logged).toHaveBeenCalledWith(
      'CloudFormation was not told that seeding the rooms ended SUCCESS',
      expect.objectContaining({ name: 'CloudFormationResponseFailed' }),
    );
  });

  it('throws a ValidationError for an event it cannot answer', async () => {
    await expect(handler({ RequestType: 'Create' }, context)).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('ResponseURL is required'),
    });
    expect(ddb.calls()).toHaveLength(0);
  });
});
