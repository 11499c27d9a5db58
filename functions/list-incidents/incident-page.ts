/**
 * One page of GET /incidents: the `limit` newest incidents of the filter's index partitions created before the
 * token's point, merged newest first, then read by key. The token holds only that point (the last answered
 * incident's CreatedOrder, unique per incident), not a position per partition: every incident that existed when
 * paging began is answered exactly once however many arrive meanwhile (they sort before the point) and even when
 * one changes status, moving to another partition, between two pages (its CreatedOrder stays).
 */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { dynamo } from '../shared/infrastructure/clients';
import { ValidationError } from '../shared/infrastructure/errors';
import { openPageToken, sealPageToken } from '../shared/infrastructure/page-token';
import { incidentsTable, publicIncident, type Incident, type PublicIncident } from '../shared/plagiarism/incident';
import { newestKeys, sourcesOf, type IndexedKey } from './index-sources';
import type { IncidentFilter } from './list-request';

const tokenPayload = z.strictObject({ before: z.string().check(z.minLength(1)) });

/** What a token is bound to: the listing's filters (the AAD of its seal). */
function tokenContext(filter: IncidentFilter): string {
  return JSON.stringify(['GET /incidents', filter.status ?? null, filter.studentId ?? null]);
}

async function pointOf(nextToken: string | undefined, filter: IncidentFilter): Promise<string | undefined> {
  if (nextToken === undefined) return undefined;
  const payload = tokenPayload.safeParse(await openPageToken(nextToken, tokenContext(filter)));
  if (!payload.success)
    throw new ValidationError(
      'Invalid request: nextToken is not a token this listing issued (send it unchanged, with the same status and studentId as the page it came from)',
    );
  return payload.data.before;
}

export interface IncidentPage {
  Items: PublicIncident[];
  NextToken?: string;
}

export async function incidentPage(filter: IncidentFilter, limit: number, nextToken?: string): Promise<IncidentPage> {
  const before = await pointOf(nextToken, filter);
  // One more than a page from each partition: a surplus anywhere proves there is a next page.
  const perSource = await Promise.all(sourcesOf(filter).map((source) => newestKeys(source, before, limit + 1)));
  const newestFirst = perSource.flat().sort((a, b) => (a.CreatedOrder < b.CreatedOrder ? 1 : -1));
  const keys = newestFirst.slice(0, limit);
  const Items = (await incidentsByKey(keys)).map(publicIncident);
  const last = keys.at(-1);
  return newestFirst.length > limit && last
    ? { Items, NextToken: await sealPageToken({ before: last.CreatedOrder }, tokenContext(filter)) }
    : { Items };
}

/** The incidents of `keys`, in that order (BatchGetItem: at most 100 keys a call, unprocessed ones asked again). */
async function incidentsByKey(keys: IndexedKey[]): Promise<Incident[]> {
  const found = new Map<string, Incident>();
  let pending: Record<string, unknown>[] = keys.map(({ IncidentId }) => ({ IncidentId }));
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt === 8) throw new Error('DynamoDB left keys unprocessed after 8 BatchGetItem calls');
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 25 * 2 ** attempt)));
    const answer = await dynamo.send(new BatchGetCommand({ RequestItems: { [incidentsTable()]: { Keys: pending } } }));
    for (const item of (answer.Responses?.[incidentsTable()] ?? []) as Incident[]) found.set(item.IncidentId, item);
    pending = answer.UnprocessedKeys?.[incidentsTable()]?.Keys ?? [];
  }
  // An index entry whose item is gone (never the case: incidents are not deleted) is left out, not answered empty.
  return keys.flatMap(({ IncidentId }) => found.get(IncidentId) ?? []);
}
