/**
 * Gives incidents written before GET /incidents' indexes existed the attributes those indexes are keyed on
 * (`StatusPartition`, `CreatedOrder`: functions/shared/plagiarism/incident-index.ts): until then an index leaves
 * them out. New incidents get them when written; this is the one-off for the old ones, and it is safe to run again
 * at any time (it writes only items whose attributes are missing or stale, and never changes anything else). Run it
 * after the deploy that adds the indexes, and once more when the last execution started before that deploy has
 * ended (its old definition changes Status without StatusPartition): `npm run backfill:incidents` in AWS,
 * automatically on `npm start` over a state folder kept from before.
 *
 * Scan, because it must visit every item once; in parallel segments. Each write is conditional on the Status and
 * CreatedAt it was computed from: an incident whose status a workflow changes meanwhile is read again and redone.
 *
 * It also keeps IncidentCountsTable's count of incidents needing administrative action exact
 * (functions/shared/plagiarism/admin-action-count.ts): each such incident not marked counted yet (one from before the
 * counter) is marked and counted in one transaction, conditional on it still needing action and still unmarked, so
 * one that TakeAdministrativeAction counts while the scan runs, or a second run, never counts twice; and each marked
 * one that no longer needs action (a redriven run went on past it) is unmarked and uncounted the same way.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, paginateScan, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { COUNTED_STATUS, uncountLeft, updateCountingOnce } from '../../functions/shared/plagiarism/admin-action-count';
import {
  INCIDENT_STATUSES,
  indexAttributes,
  type IncidentStatus,
} from '../../functions/shared/plagiarism/incident-index';

interface StoredKeys {
  IncidentId: string;
  Status?: string;
  CreatedAt?: string;
  StatusPartition?: string;
  CreatedOrder?: string;
  CountedStatus?: string;
}

export interface BackfillResult {
  /** Items read. */
  scanned: number;
  /** Items given their index attributes. */
  updated: number;
  /** Incidents needing administrative action added to the counter (they were not counted yet). */
  counted: number;
  /** Incidents counted that no longer need action, taken out of the counter. */
  uncounted: number;
  /** Items that cannot be indexed (no CreatedAt, or a Status the workflow never writes), by IncidentId. */
  skipped: string[];
}

const PROJECTION = 'IncidentId, #status, CreatedAt, StatusPartition, CreatedOrder, CountedStatus';
const MAX_TRIES = 5;

export async function backfillIncidentIndexes(
  documents: DynamoDBDocumentClient,
  tableName: string,
  countsTable: string,
  options: { segments?: number } = {},
): Promise<BackfillResult> {
  const result: BackfillResult = { scanned: 0, updated: 0, counted: 0, uncounted: 0, skipped: [] };
  const segments = options.segments ?? 4;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      const pages = paginateScan(
        { client: documents },
        {
          TableName: tableName,
          Segment: segment,
          TotalSegments: segments,
          ProjectionExpression: PROJECTION,
          ExpressionAttributeNames: { '#status': 'Status' },
        },
      );
      for await (const page of pages) {
        for (const item of (page.Items ?? []) as StoredKeys[]) {
          result.scanned++;
          const outcome = await backfillOne(documents, tableName, item);
          if (outcome === 'updated') result.updated++;
          if (outcome === 'skipped') result.skipped.push(item.IncidentId);
          if (await countOne(documents, tableName, countsTable, item)) result.counted++;
          if (await uncountOne(documents, tableName, countsTable, item)) result.uncounted++;
        }
      }
    }),
  );
  return result;
}

/** Counts an incident needing administrative action that is not counted yet; false when there is nothing to do. */
function countOne(
  documents: DynamoDBDocumentClient,
  tableName: string,
  countsTable: string,
  item: StoredKeys,
): Promise<boolean> {
  if (item.Status !== COUNTED_STATUS || item.CountedStatus !== undefined) return Promise.resolve(false);
  return updateCountingOnce(
    documents,
    {
      TableName: tableName,
      Key: { IncidentId: item.IncidentId },
      // Sets the Status it holds (the condition): the transaction only adds the marker.
      UpdateExpression: 'SET #status = :status',
      ConditionExpression: '#status = :status',
      ExpressionAttributeNames: { '#status': 'Status' },
      ExpressionAttributeValues: { ':status': COUNTED_STATUS },
    },
    countsTable,
  );
}

/** Takes out of the counter an incident counted that no longer needs action; false when there is nothing to do. */
function uncountOne(
  documents: DynamoDBDocumentClient,
  tableName: string,
  countsTable: string,
  item: StoredKeys,
): Promise<boolean> {
  if (item.Status === COUNTED_STATUS || item.CountedStatus === undefined) return Promise.resolve(false);
  return uncountLeft(documents, tableName, item.IncidentId, countsTable);
}

async function backfillOne(
  documents: DynamoDBDocumentClient,
  tableName: string,
  first: StoredKeys,
): Promise<'updated' | 'current' | 'skipped'> {
  let item: StoredKeys | undefined = first;
  for (let attempt = 1; item; attempt++) {
    const { Status, CreatedAt, IncidentId } = item;
    if (!CreatedAt || !INCIDENT_STATUSES.includes(Status as IncidentStatus)) return 'skipped';
    const wanted = indexAttributes({ IncidentId, CreatedAt, Status: Status as IncidentStatus });
    if (item.StatusPartition === wanted.StatusPartition && item.CreatedOrder === wanted.CreatedOrder) return 'current';
    try {
      await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { IncidentId },
          UpdateExpression: 'SET StatusPartition = :partition, CreatedOrder = :order',
          ConditionExpression: '#status = :status AND CreatedAt = :createdAt',
          ExpressionAttributeNames: { '#status': 'Status' },
          ExpressionAttributeValues: {
            ':partition': wanted.StatusPartition,
            ':order': wanted.CreatedOrder,
            ':status': Status,
            ':createdAt': CreatedAt,
          },
        }),
      );
      return 'updated';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || attempt === MAX_TRIES) throw error;
    }
    // Changed since it was read: read it again (strongly consistent) and recompute.
    const { Item } = await documents.send(
      new GetCommand({
        TableName: tableName,
        Key: { IncidentId },
        ConsistentRead: true,
        ProjectionExpression: PROJECTION,
        ExpressionAttributeNames: { '#status': 'Status' },
      }),
    );
    item = Item as StoredKeys | undefined;
  }
  return 'current';
}
