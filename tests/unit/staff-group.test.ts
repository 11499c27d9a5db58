/**
 * The group check of the Lambda-backed staff routes (functions/shared/infrastructure/staff-group.ts): API Gateway's
 * Cognito authorizer lets any member of the staff pool through, so each function refuses a member of the other group
 * (403 Forbidden) before it reads anything; the claim is read in both forms API Gateway is seen to hand a list on.
 */
import './support/setup';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as getIncident } from '../../functions/get-incident/app';
import { handler as getReservation } from '../../functions/get-reservation/app';
import { handler as listIncidents } from '../../functions/list-incidents/app';
import { groupsOfClaim } from '../../functions/shared/infrastructure/staff-group';
import { lambdaContext, proxyEvent, signedInContext } from './support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

const ROUTES = [
  ['GetIncidentFunction', getIncident, '/incidents/{IncidentId}', { IncidentId: 'i-1' }, 'admins'],
  ['ListIncidentsFunction', listIncidents, '/incidents', null, 'admins'],
  ['GetReservationFunction', getReservation, '/reservations/{ReservationId}', { ReservationId: 'r-1' }, 'agents'],
] as const;

describe.each(ROUTES)('%s', (name, handler, resource, pathParameters, group) => {
  const call = (requestContext: APIGatewayProxyEvent['requestContext']) =>
    handler(proxyEvent({ resource, pathParameters, requestContext }), lambdaContext(name));

  test.each([
    ['a member of the other group', signedInContext(group === 'admins' ? 'agents' : 'admins')],
    [
      'no groups claim',
      { authorizer: { claims: { token_use: 'id' } } } as unknown as APIGatewayProxyEvent['requestContext'],
    ],
    ['no authorizer at all (a direct invoke)', {} as APIGatewayProxyEvent['requestContext']],
    ['a group whose name only contains it', signedInContext(`${group}-old`)],
  ])(`%s: 403 Forbidden naming the group ${group}, and nothing is read`, async (_case, requestContext) => {
    const response = await call(requestContext);
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ error: 'Forbidden', message: expect.stringContaining(group) });
    expect(ddb.calls()).toEqual([]);
  });
});

test.each([
  ['admins', ['admins']],
  ['admins,agents', ['admins', 'agents']],
  ['[admins agents]', ['admins', 'agents']],
  ['', []],
  [undefined, []],
  [['agents'], ['agents']],
])('the cognito:groups claim %j is the groups %j', (claim, groups) => {
  expect(groupsOfClaim(claim)).toEqual(groups);
});
