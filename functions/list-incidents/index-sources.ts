/**
 * The index partitions a filter's incidents live in (incident-index.ts), and the two reads GET /incidents makes of
 * each: the newest keys before a point, and a count. Only keys and Status are read from an index (its projection).
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../shared/infrastructure/clients';
import { incidentsTable } from '../shared/plagiarism/incident';
import {
  BY_STATUS_INDEX,
  BY_STUDENT_INDEX,
  INCIDENT_STATUSES,
  partitionsOf,
  type IncidentStatus,
} from '../shared/plagiarism/incident-index';
import type { IncidentFilter } from './list-request';

/** One partition of one index, and the status its entries must have (if the filter names one). */
export interface IndexSource {
  indexName: string;
  keyName: 'StatusPartition' | 'StudentId';
  keyValue: string;
  status?: IncidentStatus;
}

/** An incident's key as an index answers it. */
export interface IndexedKey {
  IncidentId: string;
  CreatedOrder: string;
}

export function sourcesOf(filter: IncidentFilter): IndexSource[] {
  if (filter.studentId !== undefined) {
    return [{ indexName: BY_STUDENT_INDEX, keyName: 'StudentId', keyValue: filter.studentId, status: filter.status }];
  }
  const statuses = filter.status ? [filter.status] : INCIDENT_STATUSES;
  // The status is checked in the entry too: an execution started before StatusPartition existed writes a new Status
  // without moving the partition, until the backfill runs again (docs/ARCHITECTURE.md). Such an entry is left out
  // of a status's list rather than shown under the wrong status.
  return statuses.flatMap((status) =>
    partitionsOf(status).map((keyValue) => ({
      indexName: BY_STATUS_INDEX,
      keyName: 'StatusPartition' as const,
      keyValue,
      status: filter.status,
    })),
  );
}

function queryOf(source: IndexSource, before: string | undefined): QueryCommandInput {
  return {
    TableName: incidentsTable(),
    IndexName: source.indexName,
    KeyConditionExpression: before === undefined ? '#key = :key' : '#key = :key AND CreatedOrder < :before',
    ...(source.status ? { FilterExpression: '#status = :status' } : {}),
    ExpressionAttributeNames: { '#key': source.keyName, ...(source.status ? { '#status': 'Status' } : {}) },
    ExpressionAttributeValues: {
      ':key': source.keyValue,
      ...(before === undefined ? {} : { ':before': before }),
      ...(source.status ? { ':status': source.status } : {}),
    },
    ScanIndexForward: false,
  };
}

/**
 * The `wanted` newest keys of `source` created before `before` (all of them, newest first, if fewer exist). A
 * filter is applied after Limit (DynamoDB counts the entries it read), so reading goes on until enough matched.
 */
export async function newestKeys(source: IndexSource, before: string | undefined, wanted: number) {
  const keys: IndexedKey[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({
        ...queryOf(source, before),
        ProjectionExpression: 'IncidentId, CreatedOrder',
        Limit: wanted - keys.length,
        ExclusiveStartKey: startKey,
      }),
    );
    keys.push(...((page.Items ?? []) as IndexedKey[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey && keys.length < wanted);
  return keys;
}

/** How many entries `source` holds (Select COUNT: DynamoDB answers a number, not the entries). */
export async function countOf(source: IndexSource): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({ ...queryOf(source, undefined), Select: 'COUNT', ExclusiveStartKey: startKey }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}
