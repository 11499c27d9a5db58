/**
 * How IncidentsTable's global secondary indexes find incidents (docs/ARCHITECTURE.md, "Incidents at scale"):
 *
 * - `ByStatus`: partition `StatusPartition` = `<Status>#<shard>`, sort `CreatedOrder`. Lists one status newest first
 *   (its shards merged), and every incident newest first (every status's shards merged); counts a status cheaply
 *   (Select COUNT over its keys). The shard spreads one status's writes over several partitions: a constant key (or
 *   one per status, or per month) would take every registration on one partition.
 * - `ByStudent`: partition `StudentId`, sort `CreatedOrder`. One student's incidents newest first.
 *
 * Both project the keys and `Status` only: a page's incidents are then read by key (BatchGetItem), so a count or a
 * page reads ~100-byte index entries, not whole incidents.
 *
 * Every writer of `Status` writes `StatusPartition` with it (RegisterIncident and ResolveIncident in
 * statemachine/plagiarism.asl.json, TakeAdministrativeAction); RegisterIncident writes `CreatedOrder`. Items written
 * before these attributes existed are given them by scripts/backfill-incident-indexes.ts.
 */
import { createHash } from 'node:crypto';
import type { Incident } from './incident';

export const BY_STATUS_INDEX = 'ByStatus';
export const BY_STUDENT_INDEX = 'ByStudent';

export const INCIDENT_STATUSES = ['EXAM_SCHEDULED', 'RESOLVED', 'ADMIN_ACTION_REQUIRED'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/**
 * Shards per status. The plagiarism definition computes the same shard in JSONata (`% 4` over the first hex digit
 * of `$hash(IncidentId, 'SHA-256')`); tests/unit/incident-index.test.ts holds the two equal.
 */
export const STATUS_SHARDS = 4;

/** The shard of an incident: from its id alone, so every writer (and the backfill) computes it without a read. */
export function shardOf(incidentId: string): number {
  const firstHexDigit = createHash('sha256').update(incidentId, 'utf8').digest('hex')[0];
  return Number.parseInt(firstHexDigit, 16) % STATUS_SHARDS;
}

export function statusPartition(status: IncidentStatus, incidentId: string): string {
  return `${status}#${shardOf(incidentId)}`;
}

/** Every ByStatus partition of one status. */
export function partitionsOf(status: IncidentStatus): string[] {
  return Array.from({ length: STATUS_SHARDS }, (_, shard) => `${status}#${shard}`);
}

/**
 * The sort key of both indexes: the creation time, then the id, so that no two incidents tie and a page can end
 * exactly between two of them. `CreatedAt` is an ISO-8601 UTC time with milliseconds (the state's EnteredTime),
 * so its text sorts as its time.
 */
export function createdOrder(createdAt: string, incidentId: string): string {
  return `${createdAt}#${incidentId}`;
}

/** The index attributes an incident should carry for its current status. */
export function indexAttributes(incident: Pick<Incident, 'IncidentId' | 'Status' | 'CreatedAt'>) {
  return {
    StatusPartition: statusPartition(incident.Status, incident.IncidentId),
    CreatedOrder: createdOrder(incident.CreatedAt, incident.IncidentId),
  };
}
