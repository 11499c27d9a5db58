/**
 * Incidents written straight into IncidentsTable, as RegisterIncident and the workflow leave them (with or without
 * the index attributes: `legacy` items are what the table held before GET /incidents' indexes), and loaded in bulk
 * with BatchWriteItem (25 items a call, many calls at once, unprocessed items written again).
 */
import { BatchWriteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { COUNTED_STATUS } from '../../functions/shared/plagiarism/admin-action-count';
import { indexAttributes, type IncidentStatus } from '../../functions/shared/plagiarism/incident-index';
import type { Incident } from '../../functions/shared/plagiarism/incident';

export interface IncidentSpec {
  IncidentId: string;
  CreatedAt: string;
  Status?: IncidentStatus;
  StudentId?: string;
  /** Written without StatusPartition and CreatedOrder, as before the indexes. */
  legacy?: boolean;
}

/** An incident of about 600 bytes, as a registered incident with one exam is. */
export function incidentItem(spec: IncidentSpec): Incident {
  const Status = spec.Status ?? 'EXAM_SCHEDULED';
  const base: Incident = {
    IncidentId: spec.IncidentId,
    StudentId: spec.StudentId ?? `s-${spec.IncidentId}`,
    StudentName: 'Ada Lovelace',
    StudentEmail: 'ada.lovelace@students.example.edu',
    IncidentDate: spec.CreatedAt.slice(0, 10),
    Description: 'Essay 2 shares three paragraphs with a published article, without quotation or reference.',
    Status,
    Exams: [
      {
        ExamId: `${spec.IncidentId}-exam-1`,
        Deadline: spec.CreatedAt,
        Result: Status === 'RESOLVED' ? 'PASSED' : null,
        Score: Status === 'RESOLVED' ? 78 : null,
      },
    ],
    executionArn: `arn:aws:states:us-east-1:123456789012:execution:PlagiarismStateMachine:${spec.IncidentId}`,
    CreatedAt: spec.CreatedAt,
    UpdatedAt: spec.CreatedAt,
  };
  return spec.legacy ? base : { ...base, ...indexAttributes(base) };
}

/** Writes `items` with BatchWriteItem, `concurrency` calls at a time. */
export async function putIncidents(
  documents: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Incident[],
  concurrency = 16,
): Promise<void> {
  const batches: Incident[][] = [];
  for (let start = 0; start < items.length; start += 25) batches.push(items.slice(start, start + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let requests: Record<string, unknown>[] = batches[next++].map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt === 10) throw new Error('BatchWriteItem left items unprocessed 10 times');
        const answer = await documents.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: requests as never } }),
        );
        requests = (answer.UnprocessedItems?.[tableName] ?? []) as Record<string, unknown>[];
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * Writes `items` into IncidentsTable as the workflow leaves them, including the count of those needing
 * administrative action: each marked counted, and their number added to IncidentCountsTable's counter (what
 * TakeAdministrativeAction's transactions add up to). `putIncidents` alone leaves them uncounted, as incidents from
 * before the counter are until the backfill.
 */
export async function putCountedIncidents(
  documents: DynamoDBDocumentClient,
  items: readonly Incident[],
  concurrency?: number,
): Promise<void> {
  const marked = items.map((item) =>
    item.Status === COUNTED_STATUS ? { ...item, CountedStatus: COUNTED_STATUS } : item,
  );
  await putIncidents(documents, 'IncidentsTable', marked, concurrency);
  await documents.send(
    new UpdateCommand({
      TableName: 'IncidentCountsTable',
      Key: { Status: COUNTED_STATUS },
      UpdateExpression: 'ADD IncidentCount :counted',
      ExpressionAttributeValues: { ':counted': marked.filter((item) => item.CountedStatus !== undefined).length },
    }),
  );
}

/** The ISO time `index` milliseconds after `start` (ms precision, as the workflow writes CreatedAt). */
export function createdAt(start: string, index: number): string {
  return new Date(Date.parse(start) + index).toISOString();
}
