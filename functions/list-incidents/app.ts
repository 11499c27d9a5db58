/**
 * ListIncidentsFunction: `GET /incidents` (Lambda proxy): one page of incidents newest first, optionally of one
 * status and/or one student, without task tokens; with `select=count`, how many incidents the filters match (those
 * needing administrative action: one counter item, IncidentCountsTable). Served by queries on IncidentsTable's
 * indexes, never a scan (docs/ARCHITECTURE.md, "Incidents at scale").
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { dynamo } from '../shared/infrastructure/clients';
import { adminActionCount, COUNTED_STATUS, incidentCountsTable } from '../shared/plagiarism/admin-action-count';
import { observedHandler } from '../shared/infrastructure/handler';
import { httpErrors, jsonResponse } from '../shared/infrastructure/http';
import { staffGroup } from '../shared/infrastructure/staff-group';
import { countOf, sourcesOf } from './index-sources';
import { incidentPage } from './incident-page';
import { parseListRequest } from './list-request';

async function listIncidents(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const request = parseListRequest(event);
  if (request.kind === 'count') {
    // The admin page's count: one item, however many incidents need action (admin-action-count.ts).
    if (request.filter.status === COUNTED_STATUS && request.filter.studentId === undefined) {
      return jsonResponse(200, { Count: await adminActionCount(dynamo, incidentCountsTable()) });
    }
    const counts = await Promise.all(sourcesOf(request.filter).map(countOf));
    return jsonResponse(200, { Count: counts.reduce((sum, count) => sum + count, 0) });
  }
  return jsonResponse(200, await incidentPage(request.filter, request.limit, request.nextToken));
}

export const handler = observedHandler(listIncidents).use(httpErrors()).use(staffGroup('admins'));
