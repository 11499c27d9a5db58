/** ListIncidentsFunction: `GET /incidents` (Lambda proxy): every incident, newest first, without task tokens. */
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { dynamo } from '../shared/infrastructure/clients';
import { observedHandler } from '../shared/infrastructure/handler';
import { httpErrors, jsonResponse } from '../shared/infrastructure/http';
import { incidentsTable, publicIncident, type Incident } from '../shared/plagiarism/incident';

async function listIncidents(): Promise<APIGatewayProxyResult> {
  // A university's incidents number in the hundreds, so a full scan is fine; sorting needs all of them anyway.
  const incidents: Incident[] = [];
  for await (const page of paginateScan({ client: dynamo }, { TableName: incidentsTable() })) {
    incidents.push(...((page.Items ?? []) as Incident[]));
  }
  incidents.sort(
    (a, b) => (b.CreatedAt ?? '').localeCompare(a.CreatedAt ?? '') || b.IncidentId.localeCompare(a.IncidentId),
  );
  return jsonResponse(200, { Items: incidents.map(publicIncident) });
}

export const handler = observedHandler(listIncidents).use(httpErrors());
