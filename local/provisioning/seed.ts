import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { PROJECT_ROOT } from '../template/load';

/**
 * The hotel's rooms, written on every start. In AWS the SeedRooms custom resource does this at deploy time;
 * locally there is no deployment, so the local cloud writes the same file. Putting the same items again
 * changes nothing, which makes seeding safe on every restart.
 */
export const ROOMS_SEED = { table: 'RoomsTable', file: path.join(PROJECT_ROOT, 'data', 'rooms.json') };

export class SeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedError';
  }
}

/** Reads a seed file: a JSON array of items, each with the table's key attribute. */
export function readSeedItems(file: string, keyAttribute: string): Record<string, unknown>[] {
  let items: unknown;
  try {
    items = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SeedError(`cannot read ${path.relative(process.cwd(), file) || file}: ${(error as Error).message}`);
  }
  if (
    !Array.isArray(items) ||
    items.some(
      (item) =>
        !item || typeof item !== 'object' || typeof (item as Record<string, unknown>)[keyAttribute] !== 'string',
    )
  ) {
    throw new SeedError(`${file} must be a JSON array of items, each with a string ${keyAttribute}`);
  }
  return items as Record<string, unknown>[];
}

/** Writes the items (25 per BatchWriteItem, retrying what DynamoDB leaves unprocessed); returns how many. */
export async function seedTable(
  client: DynamoDBClient,
  table: string,
  items: Record<string, unknown>[],
): Promise<number> {
  const documents = DynamoDBDocumentClient.from(client);
  for (let start = 0; start < items.length; start += 25) {
    let requests: BatchWriteCommandInput['RequestItems'] = {
      [table]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    while (requests && Object.keys(requests).length > 0) {
      const response: BatchWriteCommandOutput = await documents.send(new BatchWriteCommand({ RequestItems: requests }));
      requests = response.UnprocessedItems;
    }
  }
  return items.length;
}

/** Seeds RoomsTable from data/rooms.json. */
export async function seedRooms(client: DynamoDBClient, file = ROOMS_SEED.file): Promise<number> {
  return seedTable(client, ROOMS_SEED.table, readSeedItems(file, 'RoomNumber'));
}
