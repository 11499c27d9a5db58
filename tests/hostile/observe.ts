/**
 * What a hostile request may not change, read straight from the services rather than through the API under
 * test: every item of every table (DynamoDB Local), the executions of each state machine (Step Functions
 * ListExecutions) and the emails sent (the SES capture).
 */
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { capturedEmails } from '../../local/services/ses-capture';
import { sfnClient as localSfnClient } from '../../local/sfn-api/client';

/** The template's tables (local names are the logical ids). */
export const TABLES = ['RoomsTable', 'RoomNightsTable', 'ReservationsTable', 'IncidentsTable'] as const;

export interface WorldSnapshot {
  /** Each table's items, serialised and sorted, so two snapshots compare with toEqual. */
  tables: Record<string, string[]>;
  /** Execution ARNs per state machine ARN. */
  executions: Record<string, string[]>;
  emails: number;
}

export interface World {
  dynamodb: DynamoDBClient;
  sfnUrl?: string;
  sesUrl: string;
  stateMachineArns?: string[];
}

async function scanAll(client: DynamoDBClient, table: string): Promise<string[]> {
  const items: string[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: table, ExclusiveStartKey: ExclusiveStartKey as never, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []).map((item) => JSON.stringify(item, Object.keys(item).sort())));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items.sort();
}

/** A STANDARD state machine's execution ARNs (ListExecutions, every page), sorted. */
export async function executionArns(sfn: SFNClient, stateMachineArn: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, nextToken, maxResults: 1000 }));
    arns.push(...(page.executions ?? []).map((execution) => execution.executionArn!));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns.sort();
}

const sfnClients = new Map<string, SFNClient>();

/** The local cloud's own Step Functions client (no `sync-` host prefix for StartSyncExecution), one per URL for the file. */
export function sfnClient(url: string): SFNClient {
  let client = sfnClients.get(url);
  if (!client) {
    client = localSfnClient(url, 'us-east-1');
    sfnClients.set(url, client);
  }
  return client;
}

/**
 * Runs `act` (which may assert on its outcome) and checks that nothing in `world` changed, naming `what` if
 * something did. Compared as text first: a deep toEqual over every table would cost each of the many runs that pass.
 */
export async function withoutEffect<T>(world: World, what: string, act: () => Promise<T>): Promise<T> {
  const before = await snapshot(world);
  const result = await act();
  const after = await snapshot(world);
  if (JSON.stringify(after) !== JSON.stringify(before)) expect({ what, after }).toEqual({ what, after: before });
  return result;
}

export async function snapshot(world: World): Promise<WorldSnapshot> {
  const tables = Object.fromEntries(
    await Promise.all(TABLES.map(async (table) => [table, await scanAll(world.dynamodb, table)] as const)),
  );
  const executions: Record<string, string[]> = {};
  if (world.sfnUrl) {
    const sfn = sfnClient(world.sfnUrl);
    for (const arn of world.stateMachineArns ?? []) executions[arn] = await executionArns(sfn, arn);
  }
  return { tables, executions, emails: (await capturedEmails(world.sesUrl)).length };
}
