/**
 * GET /incidents at scale (issue 18): ListIncidentsFunction's real handler against DynamoDB Local, with
 * IncidentsTable and its indexes made from template.yaml as `npm start` makes them. Paging reaches every incident
 * exactly once while new ones arrive and others change status; the filters; refused parameters and tokens; the
 * count; the one-off backfill of incidents written before the indexes, and a kept table given the new indexes.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { statusPartition, type IncidentStatus } from '../../functions/shared/plagiarism/incident-index';
import { backfillIncidentIndexes } from '../../local/provisioning/incident-index-backfill';
import { ensureTables, tableDefinitions } from '../../local/provisioning/tables';
import { dynamoDbClient, startDynamoDbLocal } from '../../local/services/dynamodb-local';
import { freePorts } from '../../local/services/ports';
import type { LocalService } from '../../local/services/service';
import { IntrinsicResolver } from '../../local/template/intrinsics';
import { loadTemplate, PROJECT_ROOT } from '../../local/template/load';
import { useIncidentFunctionEnvironment } from '../support/in-process-functions';
import { createdAt, incidentItem, putIncidents, type IncidentSpec } from '../support/incident-items';
import { lambdaContext, proxyEvent } from '../unit/support/lambda';

jest.setTimeout(60_000);

const TABLE = 'IncidentsTable';
const STATUSES: IncidentStatus[] = ['EXAM_SCHEDULED', 'RESOLVED', 'ADMIN_ACTION_REQUIRED'];
const template = loadTemplate();
const definitions = tableDefinitions(template, new IntrinsicResolver(template, { region: 'us-east-1' }));
const incidentsDefinition = definitions.find((definition) => definition.TableName === TABLE)!;
const COUNTS_TABLE = 'IncidentCountsTable';
const countsDefinition = definitions.find((definition) => definition.TableName === COUNTS_TABLE)!;

/** A signed-in administrator, as API Gateway's Cognito authorizer hands the ID token's claims on (issue 16). */
const adminClaims = { authorizer: { claims: { 'cognito:groups': 'admins' } } } as never;

let dynamodb: LocalService;
let client: DynamoDBClient;
let documents: DynamoDBDocumentClient;
let handler: (event: unknown, context: unknown) => Promise<APIGatewayProxyResult>;

interface Page {
  Items: { IncidentId: string; Status: string; StudentId: string; CreatedAt: string }[];
  NextToken?: string;
}

async function get(query: Record<string, string> = {}) {
  const multi = Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value]]));
  const response = await handler(
    proxyEvent({
      path: '/incidents',
      resource: '/incidents',
      queryStringParameters: Object.keys(query).length ? query : null,
      multiValueQueryStringParameters: Object.keys(query).length ? multi : null,
      requestContext: adminClaims,
    }),
    lambdaContext('ListIncidentsFunction'),
  );
  return { statusCode: response.statusCode, body: JSON.parse(response.body) };
}

async function page(query: Record<string, string> = {}): Promise<Page> {
  const { statusCode, body } = await get(query);
  expect({ statusCode, body: statusCode === 200 ? 'page' : body }).toEqual({ statusCode: 200, body: 'page' });
  return body as Page;
}

/** Every page of a listing, following NextToken; `between` runs after each page (new incidents, status changes). */
async function allPages(
  query: Record<string, string>,
  between: (pageNumber: number) => Promise<void> = async () => {},
) {
  const ids: string[] = [];
  const pages: Page[] = [];
  let token: string | undefined;
  do {
    const answer = await page({ ...query, ...(token ? { nextToken: token } : {}) });
    pages.push(answer);
    ids.push(...answer.Items.map((item) => item.IncidentId));
    token = answer.NextToken;
    await between(pages.length);
  } while (token);
  return { ids, pages };
}

async function setStatus(IncidentId: string, status: IncidentStatus) {
  await documents.send(
    new UpdateCommand({
      TableName: TABLE,
      Key: { IncidentId },
      UpdateExpression: 'SET #status = :status, StatusPartition = :partition',
      ExpressionAttributeNames: { '#status': 'Status' },
      ExpressionAttributeValues: { ':status': status, ':partition': statusPartition(status, IncidentId) },
    }),
  );
}

// 120 incidents over three students and three statuses, ten of them sharing one millisecond (ties broken by id).
const START = '2030-03-01T08:00:00.000Z';
const seeded: IncidentSpec[] = Array.from({ length: 120 }, (_, index) => ({
  IncidentId: `inc-${String(index).padStart(3, '0')}`,
  CreatedAt: createdAt(START, index < 10 ? 0 : index * 1_000),
  Status: STATUSES[index % 3],
  StudentId: `student-${index % 4 === 0 ? 'a' : index % 4 === 1 ? 'b' : 'c'}`,
}));
const newestFirst = (specs: IncidentSpec[]) =>
  [...specs]
    .sort((a, b) => `${b.CreatedAt}#${b.IncidentId}`.localeCompare(`${a.CreatedAt}#${a.IncidentId}`))
    .map((spec) => spec.IncidentId);

beforeAll(async () => {
  const [port] = await freePorts(1);
  dynamodb = await startDynamoDbLocal({ port });
  client = dynamoDbClient(dynamodb.endpoint);
  documents = DynamoDBDocumentClient.from(client);
  await ensureTables(client, [incidentsDefinition, countsDefinition]);
  await putIncidents(documents, TABLE, seeded.map(incidentItem));
  useIncidentFunctionEnvironment(dynamodb.endpoint);
  ({ handler } = (await import('../../functions/list-incidents/app')) as unknown as { handler: typeof handler });
});

afterAll(async () => {
  client?.destroy();
  await dynamodb?.stop();
});

describe('GET /incidents against DynamoDB Local', () => {
  it('answers 50 newest first by default, and at most limit with a NextToken, never index keys', async () => {
    const first = await page();
    expect(first.Items.map((item) => item.IncidentId)).toEqual(newestFirst(seeded).slice(0, 50));
    expect(first.NextToken).toEqual(expect.any(String));
    expect(JSON.stringify(first)).not.toMatch(/StatusPartition|CreatedOrder/);
    expect((await page({ limit: '100' })).Items).toHaveLength(100);
    expect((await page({ limit: '1' })).Items).toHaveLength(1);
  });

  it('reaches every incident exactly once, newest first, while new ones arrive and others change status', async () => {
    const arrived: IncidentSpec[] = [];
    const { ids } = await allPages({ limit: '8' }, async (pageNumber) => {
      // New incidents (newer than any listed) and status changes of listed and unlisted ones between pages.
      const fresh = Array.from({ length: 3 }, (_, index) => ({
        IncidentId: `new-${pageNumber}-${index}`,
        CreatedAt: createdAt('2030-04-01T00:00:00.000Z', pageNumber * 10 + index),
        Status: STATUSES[index],
      }));
      arrived.push(...fresh);
      await putIncidents(documents, TABLE, fresh.map(incidentItem));
      const moved = newestFirst(seeded)[(pageNumber * 11) % seeded.length];
      await setStatus(moved, STATUSES[pageNumber % 3]);
    });
    const original = newestFirst(seeded);
    expect(ids.filter((id) => !id.startsWith('new-'))).toEqual(original);
    expect(new Set(ids).size).toBe(ids.length);
    expect(arrived.length).toBeGreaterThan(30);
    // Clean up: later tests count the seeded incidents only.
    await Promise.all(seeded.map((spec) => setStatus(spec.IncidentId, spec.Status!)));
    await Promise.all(arrived.map((spec) => setStatus(spec.IncidentId, spec.Status!)));
    seeded.push(...arrived);
  });

  it('filters by status, by student and by both, each newest first and complete', async () => {
    for (const status of STATUSES) {
      const { ids, pages } = await allPages({ status, limit: '9' });
      expect(ids).toEqual(newestFirst(seeded.filter((spec) => spec.Status === status)));
      expect(pages.flatMap((answer) => answer.Items).every((item) => item.Status === status)).toBe(true);
    }
    const { ids: studentB } = await allPages({ studentId: 'student-b', limit: '5' });
    expect(studentB).toEqual(newestFirst(seeded.filter((spec) => spec.StudentId === 'student-b')));
    const { ids: bResolved } = await allPages({ studentId: 'student-b', status: 'RESOLVED', limit: '4' });
    expect(bResolved).toEqual(
      newestFirst(seeded.filter((spec) => spec.StudentId === 'student-b' && spec.Status === 'RESOLVED')),
    );
    expect(bResolved.length).toBeGreaterThan(4);
    expect((await page({ studentId: 'nobody' })).Items).toEqual([]);
  });

  it('counts what a filter matches with select=count', async () => {
    // These incidents were written straight into the table, not through TakeAdministrativeAction: the backfill
    // counts the ones needing action, as it does for incidents from before the counter (admin-action-count.test.ts).
    await backfillIncidentIndexes(documents, TABLE, COUNTS_TABLE);
    for (const status of STATUSES) {
      expect((await get({ status, select: 'count' })).body).toEqual({
        Count: seeded.filter((spec) => spec.Status === status).length,
      });
    }
    expect((await get({ select: 'count' })).body).toEqual({ Count: seeded.length });
    expect((await get({ select: 'count', studentId: 'student-a', status: 'RESOLVED' })).body).toEqual({
      Count: seeded.filter((spec) => spec.StudentId === 'student-a' && spec.Status === 'RESOLVED').length,
    });
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: '5.5' }, 'limit'],
    [{ limit: '' }, 'limit'],
    [{ status: 'PENDING' }, 'status'],
    [{ studentId: '' }, 'studentId'],
    [{ studentId: 'a\nb' }, 'studentId'],
    [{ nextToken: '' }, 'nextToken'],
    [{ sort: 'oldest' }, 'sort'],
    [{ select: 'count', limit: '5' }, 'select=count'],
  ])('refuses %j with 400 ValidationError naming %s', async (query, name) => {
    const { statusCode, body } = await get(query as Record<string, string>);
    expect(statusCode).toBe(400);
    expect(body).toEqual({ error: 'ValidationError', message: expect.stringContaining(name) });
  });

  it('refuses a parameter given twice', async () => {
    const response = await handler(
      proxyEvent({
        queryStringParameters: { limit: '5' },
        multiValueQueryStringParameters: { limit: ['1', '5'] },
        requestContext: adminClaims,
      }),
      lambdaContext('ListIncidentsFunction'),
    );
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).message).toContain('limit must be given at most once');
  });

  it('refuses edited, truncated, forged and borrowed tokens with 400, and trusts none of them', async () => {
    const { NextToken } = await page({ limit: '3', status: 'RESOLVED' });
    const token = NextToken!;
    const flipped = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
    const forgedPayload = Buffer.from(JSON.stringify({ before: '2030-01-01T00:00:00.000Z#x' })).toString('base64url');
    const refused = [
      flipped,
      token.slice(0, -4),
      `${token}AAAA`,
      forgedPayload,
      'not a token!',
      Buffer.alloc(64, 7).toString('base64url'),
    ];
    for (const nextToken of refused) {
      const { statusCode, body } = await get({ status: 'RESOLVED', nextToken });
      expect({ nextToken, statusCode, error: body.error }).toEqual({
        nextToken,
        statusCode: 400,
        error: 'ValidationError',
      });
      expect(body.message).toContain('nextToken');
    }
    // Another listing's token: bound to its filters.
    for (const other of [{}, { status: 'EXAM_SCHEDULED' }, { studentId: 'student-a' }] as Record<string, string>[]) {
      expect((await get({ ...other, nextToken: token })).statusCode).toBe(400);
    }
    // The token itself still works with its own filters.
    expect((await page({ status: 'RESOLVED', limit: '3', nextToken: token })).Items).toHaveLength(3);
  });
});

describe('incidents written before the indexes', () => {
  it('are listed once the backfill gave them their index keys, and the backfill can run again', async () => {
    const legacy = Array.from({ length: 30 }, (_, index) => ({
      IncidentId: `legacy-${index}`,
      CreatedAt: createdAt('2029-01-01T00:00:00.000Z', index * 1_000),
      Status: STATUSES[index % 3],
      StudentId: 'student-legacy',
      legacy: true,
    }));
    await putIncidents(documents, TABLE, legacy.map(incidentItem));
    expect((await page({ studentId: 'student-legacy' })).Items).toEqual([]);

    const first = await backfillIncidentIndexes(documents, TABLE, COUNTS_TABLE);
    expect(first).toEqual({ scanned: seeded.length + 30, updated: 30, counted: 10, uncounted: 0, skipped: [] });
    const { ids } = await allPages({ studentId: 'student-legacy', limit: '7' });
    expect(ids).toEqual(newestFirst(legacy));
    expect((await allPages({ limit: '100' })).ids).toEqual(newestFirst([...seeded, ...legacy]));

    // An execution of the old definition changes Status without StatusPartition: out of the status lists until the
    // backfill runs again, never under the wrong status.
    await documents.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { IncidentId: 'legacy-0' },
        UpdateExpression: 'SET #status = :status',
        ExpressionAttributeNames: { '#status': 'Status' },
        ExpressionAttributeValues: { ':status': 'RESOLVED' },
      }),
    );
    expect((await allPages({ status: 'EXAM_SCHEDULED', limit: '100' })).ids).not.toContain('legacy-0');
    expect(await backfillIncidentIndexes(documents, TABLE, COUNTS_TABLE)).toEqual({
      scanned: seeded.length + 30,
      updated: 1,
      counted: 0,
      uncounted: 0,
      skipped: [],
    });
    expect((await allPages({ status: 'RESOLVED', limit: '100' })).ids).toContain('legacy-0');
  });

  it('npm run backfill:incidents does the same from the command line', async () => {
    const stale = { IncidentId: 'legacy-cli', CreatedAt: '2029-02-01T00:00:00.000Z', Status: 'RESOLVED' as const };
    await putIncidents(documents, TABLE, [incidentItem({ ...stale, legacy: true })]);
    const { stdout } = await promisify(execFile)(
      path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'),
      [
        'scripts/backfill-incidents.ts',
        ...['--table', TABLE, '--counts-table', COUNTS_TABLE],
        ...['--endpoint-url', dynamodb.endpoint, '--region', 'us-east-1'],
      ],
      {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' },
      },
    );
    expect(stdout).toMatch(
      /^IncidentsTable: \d+ incidents read, 1 given their index keys, \d+ already had them; 0 needing administrative action newly counted and 0 no longer needing it uncounted in IncidentCountsTable\.$/m,
    );
    expect((await allPages({ status: 'RESOLVED', limit: '100' })).ids).toContain('legacy-cli');
  });

  it('a table kept from before gets the indexes the template added (npm start over an old state folder)', async () => {
    const old: CreateTableCommandInput = {
      ...incidentsDefinition,
      TableName: 'OldIncidents',
      GlobalSecondaryIndexes: undefined,
      AttributeDefinitions: [{ AttributeName: 'IncidentId', AttributeType: 'S' }],
    };
    await ensureTables(client, [old]);
    const result = await ensureTables(client, [{ ...incidentsDefinition, TableName: 'OldIncidents' }]);
    expect(result.indexesAdded).toEqual(['OldIncidents/ByStatus', 'OldIncidents/ByStudent']);
    expect((await ensureTables(client, [{ ...incidentsDefinition, TableName: 'OldIncidents' }])).indexesAdded).toEqual(
      [],
    );
  });
});
