/**
 * GET /incidents' query string (contract): `limit` (1-100, default 50), `nextToken`, `status`, `studentId`, and
 * `select=count` (a contract addition: the number of incidents the filters match, instead of a page). Anything
 * else, a parameter given twice, or a value out of range is a ValidationError naming it: a client that misspells a
 * filter must not get the unfiltered list as if it had been applied.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { ValidationError } from '../shared/infrastructure/errors';
import { identifier, parseInput } from '../shared/infrastructure/validation';
import { INCIDENT_STATUSES, type IncidentStatus } from '../shared/plagiarism/incident-index';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

const listQuery = z.strictObject({
  limit: z.optional(
    z
      .pipe(
        z.string().check(z.regex(/^[1-9][0-9]*$/, `must be a whole number from 1 to ${MAX_LIMIT}`)),
        z.transform(Number),
      )
      .check(z.refine((limit) => limit <= MAX_LIMIT, `must be a whole number from 1 to ${MAX_LIMIT}`)),
  ),
  // A sealed token is about 80 characters; the bound only keeps a junk value from being decoded at length.
  nextToken: z.optional(z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(1024))),
  status: z.optional(z.enum(INCIDENT_STATUSES)),
  // The same bounds as POST /incident's StudentId (the IncidentRequest model).
  studentId: z.optional(identifier(64)),
  select: z.optional(z.literal('count')),
});

/** Which incidents: the filters a listing (and its tokens) is bound to. */
export interface IncidentFilter {
  status?: IncidentStatus;
  studentId?: string;
}

export type ListRequest =
  | { kind: 'page'; filter: IncidentFilter; limit: number; nextToken?: string }
  | { kind: 'count'; filter: IncidentFilter };

export function parseListRequest(
  event: Pick<APIGatewayProxyEvent, 'queryStringParameters' | 'multiValueQueryStringParameters'>,
): ListRequest {
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    if ((values?.length ?? 0) > 1) throw new ValidationError(`Invalid request: ${name} must be given at most once`);
  }
  const query = parseInput(listQuery, event.queryStringParameters ?? {});
  const filter: IncidentFilter = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.studentId !== undefined ? { studentId: query.studentId } : {}),
  };
  if (query.select === 'count') {
    if (query.limit !== undefined || query.nextToken !== undefined)
      throw new ValidationError('Invalid request: select=count takes only the status and studentId filters');
    return { kind: 'count', filter };
  }
  return {
    kind: 'page',
    filter,
    limit: query.limit ?? DEFAULT_LIMIT,
    ...(query.nextToken !== undefined ? { nextToken: query.nextToken } : {}),
  };
}
