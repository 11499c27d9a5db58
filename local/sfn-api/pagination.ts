/**
 * maxResults/nextToken pagination as the Step Functions API does it: maxResults 0 or absent means 100,
 * nextToken is opaque and a garbage or foreign token is InvalidToken. The token names the last item
 * returned (not an offset), so items added while a client pages do not repeat or skip the others.
 */
import { invalidPaginationToken } from './errors';

const defaultPageSize = 100;

interface TokenBody {
  /** which listing issued the token: a token from another listing is invalid */
  scope: string;
  after: string;
}

const encode = (body: TokenBody) => Buffer.from(JSON.stringify(body)).toString('base64url');

function decode(token: string, scope: string): string {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidPaginationToken();
  }
  const { scope: tokenScope, after } = (body ?? {}) as Partial<TokenBody>;
  if (tokenScope !== scope || typeof after !== 'string') throw invalidPaginationToken();
  return after;
}

export interface PageRequest {
  maxResults?: number;
  nextToken?: string;
  /** e.g. 'ListExecutions:<stateMachineArn>:<statusFilter>' */
  scope: string;
}

export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  request: PageRequest,
): { page: T[]; nextToken?: string } {
  let start = 0;
  if (request.nextToken !== undefined) {
    const after = decode(request.nextToken, request.scope);
    const index = items.findIndex((item) => keyOf(item) === after);
    if (index < 0) throw invalidPaginationToken();
    start = index + 1;
  }
  const size = request.maxResults || defaultPageSize;
  const page = items.slice(start, start + size);
  const more = start + size < items.length;
  return { page, nextToken: more ? encode({ scope: request.scope, after: keyOf(page[page.length - 1]) }) : undefined };
}

/**
 * A List* operation's answer: the page of `items` its request's maxResults/nextToken select, each shown by `show`
 * under `member`, and the nextToken when there is more.
 */
export function listPage<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  request: Record<string, unknown>,
  scope: string,
  member: string,
  show: (item: T) => unknown,
): Record<string, unknown> {
  const { page, nextToken } = paginate(items, keyOf, {
    maxResults: request.maxResults as number | undefined,
    nextToken: request.nextToken as string | undefined,
    scope,
  });
  return { [member]: page.map(show), ...(nextToken ? { nextToken } : {}) };
}
