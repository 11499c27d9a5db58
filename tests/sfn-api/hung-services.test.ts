/**
 * A local service that accepts the connection but never answers (a hung DynamoDB or SES capture, not a stopped
 * one) fails the Task within the SDK clients' bounds (local/sfn-api/integrations/sdk-call-bounds.ts), as
 * `<Service>.SdkClientException`, the error the plagiarism workflow retries, instead of blocking it forever.
 * The clients get short bounds here (the mechanism is the same; the server's own are seconds): the proof is that
 * the task ends named after exactly `maxAttempts` unanswered requests, not how long that took.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TaskOutcome, TaskRequest } from '@serverless-workflows/sfn-engine';
import { LocalIntegrations } from '../../local/sfn-api/integrations/index';
import { localSdkCallBounds, type SdkCallBounds } from '../../local/sfn-api/integrations/sdk-call-bounds';
import { FakeLambda } from './fake-lambda';

const shortBounds: SdkCallBounds = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 500, requestTimeout: 150, throwOnRequestTimeout: true },
};

let silent: http.Server;
let integrations: LocalIntegrations;
/** Requests the silent server received, by path-less target (X-Amz-Target for DynamoDB, the URL for SES). */
const received: string[] = [];

beforeAll(async () => {
  // Accepts every request, answers none.
  silent = http.createServer((request) => received.push(String(request.headers['x-amz-target'] ?? request.url)));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  integrations = new LocalIntegrations({
    lambda: new FakeLambda(),
    endpoints: { dynamodb: url, ses: url, sfn: () => 'http://127.0.0.1:9' },
    region: 'us-east-1',
    now: () => Date.now(),
    callBounds: shortBounds,
  });
});

afterAll(async () => {
  integrations?.close();
  silent.closeAllConnections();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

beforeEach(() => {
  received.length = 0;
});

const call = (resource: string, parameters: unknown): Promise<TaskOutcome> =>
  integrations.invoke({
    resource,
    parameters,
    stateName: 'RegisterIncident',
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:PlagiarismStateMachine:i-1',
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:PlagiarismStateMachine',
    stateMachineName: 'PlagiarismStateMachine',
    attempt: 0,
    signal: new AbortController().signal,
  } satisfies TaskRequest);

test('dynamodb:putItem against a DynamoDB that never answers fails as DynamoDB.SdkClientException after its attempts', async () => {
  const outcome = await call('arn:aws:states:::dynamodb:putItem', {
    TableName: 'IncidentsTable',
    Item: { IncidentId: { S: 'i-1' } },
  });
  expect(outcome).toEqual({
    ok: false,
    error: 'DynamoDB.SdkClientException',
    cause: expect.stringMatching(/^Unable to execute HTTP request: .*timed? ?out/i),
  });
  expect(received).toEqual(['DynamoDB_20120810.PutItem', 'DynamoDB_20120810.PutItem']);
});

test('aws-sdk:ses:sendEmail against an SES that never answers fails as Ses.SdkClientException after its attempts', async () => {
  const outcome = await call('arn:aws:states:::aws-sdk:ses:sendEmail', {
    Source: 'a@example.com',
    Destination: { ToAddresses: ['b@example.com'] },
    Message: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } },
  });
  expect(outcome).toMatchObject({ ok: false, error: 'Ses.SdkClientException' });
  expect(received).toHaveLength(shortBounds.maxAttempts);
});

test("the server's own bounds give up on a service that accepts but stays silent within a function's 10 s Timeout", () => {
  const { maxAttempts, requestHandler } = localSdkCallBounds;
  expect(requestHandler.throwOnRequestTimeout).toBe(true);
  expect(maxAttempts * requestHandler.requestTimeout).toBeLessThan(10_000);
});
