import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backfillIncidentIndexes } from './incident-index-backfill';
import { seedRooms } from './seed';
import { ensureTables, type EnsureTablesResult } from './tables';

export interface DynamoDbProvisioned extends EnsureTablesResult {
  /** How many rooms were written into RoomsTable. */
  rooms: number;
  /** Incidents kept from before IncidentsTable's indexes existed, now given their index attributes. */
  incidentsBackfilled: number;
  /** Incidents needing administrative action kept from before IncidentCountsTable existed, now counted in it. */
  incidentsCounted: number;
}

/**
 * What a deployment of the template holds in DynamoDB, made in DynamoDB Local: its tables (tableDefinitions; kept
 * with their data when they exist) and the rooms the SeedRooms custom resource writes in AWS.
 */
export async function provisionDynamoDb(
  client: DynamoDBClient,
  tables: CreateTableCommandInput[],
): Promise<DynamoDbProvisioned> {
  const result = await ensureTables(client, tables);
  // The deployed stack's one-off (npm run backfill:incidents), done for a state folder kept from before the indexes
  // or the counter.
  const backfill =
    result.indexesAdded.some((index) => index.startsWith('IncidentsTable/')) ||
    result.created.includes('IncidentCountsTable')
      ? await backfillIncidentIndexes(DynamoDBDocumentClient.from(client), 'IncidentsTable', 'IncidentCountsTable')
      : { updated: 0, counted: 0 };
  return {
    ...result,
    rooms: await seedRooms(client),
    incidentsBackfilled: backfill.updated,
    incidentsCounted: backfill.counted,
  };
}
