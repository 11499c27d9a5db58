/**
 * functions/shared/infrastructure/clients.ts: what the SDK classifies as throttling or transient reaches the handlers
 * as one named error, ServiceUnavailable (503, retried by the state machines), once the SDK's own attempts are used
 * up; every other error goes through unchanged. Real SDK clients against a real HTTP server (and a closed port). A
 * proxy function answers it 503 with Retry-After.
 */
import '../unit/support/setup';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { namingUnavailability, sdkCallBounds } from '../../functions/shared/infrastructure/clients';
import { ServiceUnavailable, ValidationError } from '../../functions/shared/infrastructure/errors';
import { errorResponse } from '../../functions/shared/infrastructure/http';

/** DynamoDB's answer for each request: status and error type (AWS JSON 1.0 error shape). */
let answer: { status: number; type: string } = { status: 200, type: '' };
let requests = 0;
let server: http.Server;
let endpoint: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    requests += 1;
    request.resume().on('end', () => {
      response.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'r-1' });
      response.end(
        JSON.stringify({
          __type: `com.amazonaws.dynamodb.v20120810#${answer.type}`,
          message: `${answer.type} from the test`,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  requests = 0;
});

/** A client as clients.ts makes them, against `url`, with two attempts and a short request timeout to keep it quick. */
function client(url: string) {
  return namingUnavailability(
    new DynamoDBClient({
      ...sdkCallBounds,
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 2,
      requestHandler: { ...sdkCallBounds.requestHandler, requestTimeout: 200 },
    }),
  );
}

const getItem = (url: string) => client(url).send(new GetItemCommand({ TableName: 'T', Key: { Id: { S: '1' } } }));

test.each([
  ['throttled (ProvisionedThroughputExceededException)', 400, 'ProvisionedThroughputExceededException'],
  ['throttled (ThrottlingException)', 400, 'ThrottlingException'],
  ['failing inside (InternalServerError)', 500, 'InternalServerError'],
  ['unavailable (503)', 503, 'ServiceUnavailable'],
])(
  'a DynamoDB %s after the SDK retried is ServiceUnavailable, with the SDK error as its cause',
  async (_, status, type) => {
    answer = { status, type };
    const failure = await getItem(endpoint).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServiceUnavailable);
    expect(failure).toMatchObject({
      name: 'ServiceUnavailable',
      statusCode: 503,
      message: expect.stringMatching(/try again/),
    });
    expect(((failure as Error).cause as Error).name).toBe(type);
    expect(requests).toBe(2); // the SDK's own attempts came first
  },
);

// A refused connection (ECONNREFUSED) is proven on the real local cloud (faults.test.ts, DynamoDB Local stopped):
// under jest, Node's network errors come from another realm and the SDK wraps them without their code.
test('a DynamoDB that accepts the request but never answers is given up on (request timeout): ServiceUnavailable', async () => {
  let attempts = 0;
  const silent = http.createServer(() => (attempts += 1)); // never answers
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const failure = await getItem(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ServiceUnavailable);
    expect(((failure as Error).cause as Error).name).toBe('TimeoutError');
    expect(attempts).toBe(2); // given up after the client's attempts, each ended by its request timeout
  } finally {
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

test('an error that is the request’s own (a failed condition) goes through unchanged, not retried', async () => {
  answer = { status: 400, type: 'ConditionalCheckFailedException' };
  const failure = await getItem(endpoint).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ConditionalCheckFailedException);
  expect(requests).toBe(1);
});

test('a proxy function answers ServiceUnavailable 503 with a Retry-After in seconds, other errors without one', () => {
  const unavailable = errorResponse(
    new ServiceUnavailable('The service is temporarily unavailable. Please try again in a moment.'),
  );
  expect(unavailable).toMatchObject({
    statusCode: 503,
    headers: { 'Retry-After': '5', 'Content-Type': 'application/json' },
  });
  expect(JSON.parse(unavailable.body)).toEqual({
    error: 'ServiceUnavailable',
    message: 'The service is temporarily unavailable. Please try again in a moment.',
  });
  expect(errorResponse(new ValidationError('bad')).headers).not.toHaveProperty('Retry-After');
});
