/** GetIncidentFunction: `GET /incidents/{IncidentId}` (Lambda proxy): the incident without task tokens, or 404. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import { IncidentNotFound } from '../shared/plagiarism/errors';
import { observedHandler } from '../shared/infrastructure/handler';
import { httpErrors, jsonResponse } from '../shared/infrastructure/http';
import { staffGroup } from '../shared/infrastructure/staff-group';
import { findIncident, publicIncident } from '../shared/plagiarism/incident';
import { identifier, parseInput } from '../shared/infrastructure/validation';

const pathParameters = z.object({ IncidentId: identifier(128) });

async function getIncident(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const { IncidentId } = parseInput(pathParameters, event.pathParameters ?? {});
  const incident = await findIncident(IncidentId);
  if (!incident) throw new IncidentNotFound(`There is no incident ${IncidentId}.`);
  return jsonResponse(200, publicIncident(incident));
}

export const handler = observedHandler(getIncident).use(httpErrors()).use(staffGroup('admins'));
