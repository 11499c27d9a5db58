/**
 * The group check of a staff route behind a Lambda proxy (contract, "Staff sign-in"). API Gateway's Cognito user pool
 * authorizer has already refused a request without a valid ID token of the staff pool (401); it does not look at
 * groups, so the function refuses a member of another group here: 403 Forbidden, before the handler reads anything.
 *
 * The groups arrive as the ID token's `cognito:groups` claim under `requestContext.authorizer.claims`, where API
 * Gateway (REST, Lambda proxy) hands every claim on as a string: a list claim has been seen both comma-separated
 * ("admins,agents") and bracketed with spaces ("[admins agents]"), so both are read (docs/security.md, 3).
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { Forbidden } from './errors';

export type StaffGroup = 'admins' | 'agents';

/** The group names in a `cognito:groups` claim as API Gateway hands it on (a string), or none. */
export function groupsOfClaim(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  return claim.split(/[[\],\s]+/).filter(Boolean);
}

/** Middy middleware: only members of `group` get past it. */
export function staffGroup(group: StaffGroup): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    before: (request) => {
      const claims = request.event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
      if (!groupsOfClaim(claims?.['cognito:groups']).includes(group))
        throw new Forbidden(`This route is for members of the group ${group}; sign in with such an account.`);
    },
  };
}
