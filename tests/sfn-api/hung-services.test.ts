/**
 * A local service that accepts the connection but never answers (a hung DynamoDB or SES capture, not a stopped
 * one) fails the Task within the SDK clients' bounds (local/sfn-api/integrations/sdk-call-bounds.ts), as
 * `<Service>.SdkClientException`, the error the plagiarism workflow retries, instead of blocking it forever.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TaskOutcome, TaskRequest } from '../../engine/src/index';
import { LocalIntegrations } from '../../local/sfn-api/integrations/index';
import { FakeLambda } from './fake-lambda';

/** Three attempts of 2.5 s of silence each, with the SDK’s backoff between them (the two tests run at once). */
jest.setTimeout(20_000);

let silent: http.Server;
let integrations: LocalIntegrations;

beforeAll(async () => {
  silent = http.createServer(() => undefined); // accepts every request, answers none
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  integrations = new LocalIntegrations({
    lambda: new FakeLambda(),
    endpoints: { dynamodb: url, ses: url, sfn: () => 'http://127.0.0.1:9' },
    region: 'us-east-1',
    now: () => Date.now(),
  });
});

afterAll(async () => {
  integrations?.close();
  silent.closeAllConnections();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
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

async function timed(outcome: Promise<TaskOutcome>) {
  const started = Date.now();
  return { outcome: await outcome, seconds: (Date.now() - started) / 1000 };
}

test.concurrent('dynamodb:putItem against a DynamoDB that never answers fails as DynamoDB.SdkClientException within the bounds', async () => {
  const { outcome, seconds } = await timed(
    call('arn:aws:states:::dynamodb:putItem', { TableName: 'IncidentsTable', Item: { IncidentId: { S: 'i-1' } } }),
  );
  expect(outcome).toEqual({ ok: false, error: 'DynamoDB.SdkClientException', cause: expect.stringMatching(/^Unable to execute HTTP request: .*timed? ?out/i) });
  expect(seconds).toBeGreaterThanOrEqual(7); // it did wait for an answer, three times 2.5 s
  expect(seconds).toBeLessThan(15);
});

test.concurrent('aws-sdk:ses:sendEmail against an SES that never answers fails as Ses.SdkClientException within the bounds', async () => {
  const { outcome, seconds } = await timed(
    call('arn:aws:states:::aws-sdk:ses:sendEmail', {
      Source: 'a@example.com',
      Destination: { ToAddresses: ['b@example.com'] },
      Message: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } },
    }),
  );
  expect(outcome).toMatchObject({ ok: false, error: 'Ses.SdkClientException' });
  expect(seconds).toBeLessThan(15);
});
