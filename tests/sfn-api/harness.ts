/**
 * Test harness for the Step Functions API: a server on a free port with a fresh data directory, an
 * in-process FakeLambda, and an `@aws-sdk/client-sfn` client configured the way the project's README says.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { startSfnApiServer, type SfnApiServer, type SfnApiServerOptions } from '../../local/sfn-api/server';
import { FakeLambda } from './fake-lambda';

export const roleArn = 'arn:aws:iam::123456789012:role/StepFunctionsRole';

export interface Harness {
  server: SfnApiServer;
  client: SFNClient;
  lambda: FakeLambda;
  dataDir: string;
  warnings: string[];
}

export function newDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sfn-api-'));
}

export function sfnClient(url: string): SFNClient {
  // disableHostPrefix: StartSyncExecution would otherwise go to http://sync-localhost:<port>.
  return new SFNClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    disableHostPrefix: true,
    maxAttempts: 1,
  });
}

export async function startHarness(
  options: Partial<SfnApiServerOptions> & { dataDir?: string; lambda?: FakeLambda } = {},
): Promise<Harness> {
  const dataDir = options.dataDir ?? newDataDir();
  const lambda = options.lambda ?? new FakeLambda();
  const warnings: string[] = [];
  const server = await startSfnApiServer({
    port: 0,
    region: 'us-east-1',
    dataDir,
    lambda,
    // No DynamoDB or SES in these tests: a closed port makes any call fail fast and visibly.
    endpoints: { dynamodb: 'http://127.0.0.1:9', ses: 'http://127.0.0.1:9' },
    warn: (message) => warnings.push(message),
    ...options,
  });
  return { server, client: sfnClient(server.url), lambda, dataDir, warnings };
}

export async function stopHarness(harness: Harness | undefined, options: { keepData?: boolean } = {}): Promise<void> {
  if (!harness) return;
  harness.client.destroy();
  await harness.server.close();
  if (!options.keepData) fs.rmSync(harness.dataDir, { recursive: true, force: true });
}

/** Moves the server's clock forward (POST /_local/clock): Waits, timeouts and long polls fire as if the time passed. */
export async function advanceClock(harness: Harness, seconds: number): Promise<void> {
  const response = await fetch(`${harness.server.url}/_local/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
  if (!response.ok) throw new Error(`POST /_local/clock answered ${response.status}`);
}

/** Lets the server and the engine run until `check` holds (each poll is an HTTP round trip, no timer). */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  maxPolls = 2000,
): Promise<T> {
  let value = await probe();
  for (let poll = 0; !check(value); poll++) {
    if (poll >= maxPolls)
      throw new Error(`${what}: still not there after ${maxPolls} polls (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setImmediate(resolve));
    value = await probe();
  }
  return value;
}

export async function waitForEnd(client: SFNClient, executionArn: string) {
  return eventually(
    `execution ${executionArn} to end`,
    () => client.send(new DescribeExecutionCommand({ executionArn })),
    (execution) => execution.status !== 'RUNNING',
  );
}

export async function historyOf(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
}

export async function waitForEvent(client: SFNClient, executionArn: string, type: string): Promise<HistoryEvent[]> {
  return eventually(
    `a ${type} event in ${executionArn}`,
    () => historyOf(client, executionArn),
    (events) => events.some((event) => event.type === type),
  );
}

/** The parsed JSON text of a member (the API carries JSON as strings; compare values, never raw text). */
export const parsed = (text: string | undefined) => (text === undefined ? undefined : JSON.parse(text));

/** The error an SDK call rejects with, for asserting on its name, message and HTTP status. */
export async function errorOf(
  call: Promise<unknown>,
): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await call;
  } catch (error) {
    return error as { name: string; message: string; $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail');
}
