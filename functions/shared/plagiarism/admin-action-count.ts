/**
 * How many incidents need administrative action, kept as one counter (IncidentCountsTable, key Status =
 * ADMIN_ACTION_REQUIRED, attribute IncidentCount) so that the admin page's count is one GetItem however many such
 * incidents accumulate, instead of a Query that reads every one of their index entries (docs/ARCHITECTURE.md,
 * "Incidents at scale").
 *
 * Exact because the counter only moves in the same transaction (TransactWriteItems: all or nothing) as the incident
 * that it counts, and only when that incident carries no `CountedStatus` yet; the transaction sets it. A retried or
 * repeated write (a Lambda retry, a Step Functions Retry, the EventBridge rule's retries, the backfill run again, two
 * writers at once) finds the marker and counts nothing, so each incident is counted at most once and never lost.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '../infrastructure/env';

export const COUNTED_STATUS = 'ADMIN_ACTION_REQUIRED';

export function incidentCountsTable(): string {
  return requireEnv('INCIDENT_COUNTS_TABLE');
}

/** One UpdateItem of an incident (Update of TransactWriteItems, DocumentClient values). */
export interface IncidentUpdate {
  TableName: string;
  Key: { IncidentId: string };
  UpdateExpression: string;
  ConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

/**
 * Two transactions on the counter at the same moment: DynamoDB cancels one with TransactionConflict (it does not
 * queue them) and the SDK does not retry a cancellation, so it is tried again here, with a short jittered pause.
 * "TransactionConflict: Another transaction or request is in progress on one of the items" (DynamoDB API reference,
 * TransactWriteItems, CancellationReasons). Enough tries for the counter's write rate (docs/ARCHITECTURE.md).
 */
const MAX_CONFLICT_TRIES = 8;

/**
 * Applies `update` (a SET) to the incident, marking it counted, and adds 1 to the ADMIN_ACTION_REQUIRED counter,
 * atomically, if the update's own condition holds and the incident is not counted yet. False when either condition
 * failed: nothing was written.
 */
export function updateCountingOnce(
  documents: DynamoDBDocumentClient,
  update: IncidentUpdate,
  countsTable: string,
): Promise<boolean> {
  const marking = {
    ...update,
    UpdateExpression: `${update.UpdateExpression}, CountedStatus = :counted`,
    ConditionExpression: `(${update.ConditionExpression}) AND attribute_not_exists(CountedStatus)`,
    ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':counted': COUNTED_STATUS },
  };
  return withCounter(documents, marking, 1, countsTable);
}

/**
 * Applies `update` (a SET that takes the incident out of ADMIN_ACTION_REQUIRED) and takes it out of the count:
 * removes its mark and adds -1, atomically, if the update's own condition holds and the incident is counted. False
 * when either condition failed: nothing was written.
 */
export function updateUncounting(
  documents: DynamoDBDocumentClient,
  update: IncidentUpdate,
  countsTable: string,
): Promise<boolean> {
  const unmarking = {
    ...update,
    UpdateExpression: `${update.UpdateExpression} REMOVE CountedStatus`,
    ConditionExpression: `(${update.ConditionExpression}) AND attribute_exists(CountedStatus)`,
  };
  return withCounter(documents, unmarking, -1, countsTable);
}

/**
 * Takes an incident that is counted but no longer needs action out of the count: removes its mark and adds -1,
 * atomically, only if it still has the mark and another Status. False when it has not (nothing was written).
 *
 * The workflow never takes an incident out of ADMIN_ACTION_REQUIRED, but a run redriven after it was stopped or
 * failed may go on to ResolveIncident, which changes Status without uncounting it (docs/ARCHITECTURE.md,
 * "Incidents at scale"): the backfill calls this for each such incident it finds.
 */
export function uncountLeft(
  documents: DynamoDBDocumentClient,
  tableName: string,
  incidentId: string,
  countsTable: string,
): Promise<boolean> {
  const unmarking = {
    TableName: tableName,
    Key: { IncidentId: incidentId },
    UpdateExpression: 'REMOVE CountedStatus',
    ConditionExpression: 'attribute_exists(CountedStatus) AND #status <> :counted',
    ExpressionAttributeNames: { '#status': 'Status' },
    ExpressionAttributeValues: { ':counted': COUNTED_STATUS },
  };
  return withCounter(documents, unmarking, -1, countsTable);
}

/** `incident` (an Update of TransactWriteItems) and `delta` added to the counter, all or nothing. */
async function withCounter(
  documents: DynamoDBDocumentClient,
  incident: IncidentUpdate,
  delta: 1 | -1,
  countsTable: string,
): Promise<boolean> {
  const input = {
    TransactItems: [
      { Update: incident },
      {
        Update: {
          TableName: countsTable,
          Key: { Status: COUNTED_STATUS },
          UpdateExpression: 'ADD IncidentCount :delta',
          ExpressionAttributeValues: { ':delta': delta },
        },
      },
    ],
  };
  for (let attempt = 1; ; attempt++) {
    try {
      await documents.send(new TransactWriteCommand(input));
      return true;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code);
      if (codes[0] === 'ConditionalCheckFailed') return false;
      if (!codes.includes('TransactionConflict') || attempt === MAX_CONFLICT_TRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

/**
 * Marks an incident ADMIN_ACTION_REQUIRED with `update` (a SET of its Status, under its own condition), counting it
 * if it was not counted yet; an incident counted already is updated as is (a retry sets the same values again).
 * False when the update's condition did not hold: nothing was written.
 */
export async function markCountedOnce(
  documents: DynamoDBDocumentClient,
  update: IncidentUpdate,
  countsTable: string,
): Promise<boolean> {
  if (await updateCountingOnce(documents, update, countsTable)) return true;
  try {
    // Only an incident counted already: one that is not was refused by the update's own condition just now (the
    // marker is never removed), so a status it reaches meanwhile cannot slip past the counter.
    await documents.send(
      new UpdateCommand({
        ...update,
        ConditionExpression: `(${update.ConditionExpression}) AND attribute_exists(CountedStatus)`,
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The counter (0 before any incident was counted). Strongly consistent: an action just taken is in it. */
export async function adminActionCount(documents: DynamoDBDocumentClient, countsTable: string): Promise<number> {
  const { Item } = await documents.send(
    new GetCommand({
      TableName: countsTable,
      Key: { Status: COUNTED_STATUS },
      ConsistentRead: true,
      ProjectionExpression: 'IncidentCount',
    }),
  );
  return (Item?.IncidentCount as number | undefined) ?? 0;
}
