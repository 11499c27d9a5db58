import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { seedRooms } from './seed';
import { ensureTables, type EnsureTablesResult } from './tables';

export interface DynamoDbProvisioned extends EnsureTablesResult {
  /** How many rooms were written into RoomsTable. */
  rooms: number;
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
  return { ...result, rooms: await seedRooms(client) };
}
