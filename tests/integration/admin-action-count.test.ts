/**
 * The count of incidents needing administrative action (functions/shared/plagiarism/admin-action-count.ts) against
 * DynamoDB Local, tables made from template.yaml: the real TakeAdministrativeAction handler moves incidents into
 * ADMIN_ACTION_REQUIRED (the workflow's path and the EventBridge path of a stopped execution), concurrently and
 * retried; the real ListIncidents handler answers the count from the counter; a full Query of the ByStatus index
 * is the judge; npm start's provisioning counts incidents from before the counter. SES is mocked: the email is not this file's subject (tests/unit/take-administrative-action.test.ts).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { COUNTED_STATUS } from '../../functions/shared/plagiarism/admin-action-count';
import { type IncidentStatus, statusPartition } from '../../functions/shared/plagiarism/incident-index';
import { provisionDynamoDb } from '../../local/provisioning/dynamodb';
import { backfillIncidentIndexes } from '../../local/provisioning/incident-index-backfill';
import { ensureTables, tableDefinitions } from '../../local/provisioning/tables';
import { dynamoDbClient, startDynamoDbLocal } from '../../local/services/dynamodb-local';
import { freePorts } from '../../local/services/ports';
import type { LocalService } from '../../local/services/service';
import { IntrinsicResolver } from '../../local/template/intrinsics';
import { loadTemplate } from '../../local/template/load';
import { useIncidentFunctionEnvironment } from '../support/in-process-functions';
import { createdAt, incidentItem, putIncidents, type IncidentSpec } from '../support/incident-items';
import { lambdaContext, proxyEvent } from '../unit/support/lambda';

jest.setTimeout(60_000);

const TABLE = 'IncidentsTable';
const COUNTS_TABLE = 'IncidentCountsTable';
const template = loadTemplate();
const definitions = tableDefinitions(template, new IntrinsicResolver(template, { region: 'us-east-1' }));
const adminClaims = { authorizer: { claims: { 'cognito:groups': 'admins' } } } as never;

type Handler<Result> = (event: unknown, context: unknown) => Promise<Result>;
let dynamodb: LocalService;
let client: DynamoDBClient;
let documents: DynamoDBDocumentClient;
let takeAction: Handler<{ Status: string | null }>;
let listIncidents: Handler<APIGatewayProxyResult>;
// Imported once the environment is set (the functions' modules read it when loaded).
let indexSources: typeof import('../../functions/list-incidents/index-sources');
let getIncident: Handler<APIGatewayProxyResult>;
let scheduleExam: Handler<{ ExamCount: number }>;
const ses = mockClient(SESClient);

beforeAll(async () => {
  const [port] = await freePorts(1);
  dynamodb = await startDynamoDbLocal({ port });
  client = dynamoDbClient(dynamodb.endpoint);
  documents = DynamoDBDocumentClient.from(client);
  // The incidents only: the first test makes the rest as npm start does over a state folder from before the counter.
  await ensureTables(
    client,
    definitions.filter((definition) => definition.TableName === TABLE),
  );
  useIncidentFunctionEnvironment(dynamodb.endpoint);
  Object.assign(process.env, { SENDER_EMAIL: 'noreply@example.com', ADMIN_EMAIL: 'admin@example.com' });
  ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
  ({ handler: takeAction } = (await import('../../functions/take-administrative-action/app')) as never);
  ({ handler: listIncidents } = (await import('../../functions/list-incidents/app')) as never);
  indexSources = await import('../../functions/list-incidents/index-sources');
  ({ handler: getIncident } = (await import('../../functions/get-incident/app')) as never);
  ({ handler: scheduleExam } = (await import('../../functions/schedule-exam/app')) as never);
});

afterAll(async () => {
  ses.restore();
  client?.destroy();
  await dynamodb?.stop();
});

/** GET /incidents with `query`, as the admin page asks it. */
async function listed(query: Record<string, string>) {
  const response = await listIncidents(
    proxyEvent({
      path: '/incidents',
      resource: '/incidents',
      queryStringParameters: query,
      multiValueQueryStringParameters: Object.fromEntries(
        Object.entries(query).map(([name, value]) => [name, [value]]),
      ),
      requestContext: adminClaims,
    }),
    lambdaContext('ListIncidentsFunction'),
  );
  expect(response.statusCode).toBe(200);
  return JSON.parse(response.body);
}

/** GET /incidents?status=ADMIN_ACTION_REQUIRED&select=count: the counter. */
async function countedByTheApi(): Promise<number> {
  return ((await listed({ status: COUNTED_STATUS, select: 'count' })) as { Count: number }).Count;
}

/** The judge: every ByStatus entry of ADMIN_ACTION_REQUIRED, read in full (what the count did before the counter). */
async function countedByQuery(): Promise<number> {
  const counts = await Promise.all(indexSources.sourcesOf({ status: COUNTED_STATUS }).map(indexSources.countOf));
  return counts.reduce((sum, count) => sum + count, 0);
}

async function counterItem() {
  return (await documents.send(new GetCommand({ TableName: COUNTS_TABLE, Key: { Status: COUNTED_STATUS } }))).Item;
}

const specs = (prefix: string, count: number, status: IncidentStatus, legacy = false): IncidentSpec[] =>
  Array.from({ length: count }, (_, index) => ({
    IncidentId: `${prefix}-${index}`,
    CreatedAt: createdAt('2030-05-01T00:00:00.000Z', index * 1_000),
    Status: status,
    legacy,
  }));

const workflowAction = (IncidentId: string) =>
  takeAction({ IncidentId, Reason: 'EXAM_RETRIES_EXCEEDED' }, lambdaContext('TakeAdministrativeActionFunction'));

const stoppedExecution = (IncidentId: string) =>
  takeAction(
    {
      IncidentId,
      Reason: 'WORKFLOW_STOPPED',
      ExecutionArn: incidentItem({ IncidentId, CreatedAt: '2030-05-01T00:00:00.000Z' }).executionArn,
    },
    lambdaContext('TakeAdministrativeActionFunction'),
  );

describe('the count of incidents needing administrative action', () => {
  it('is made by npm start over a state folder from before it, counting the incidents that needed action once', async () => {
    const earlier = [...specs('earlier', 3, COUNTED_STATUS), ...specs('earlier-resolved', 2, 'RESOLVED')];
    await putIncidents(documents, TABLE, earlier.map(incidentItem));

    const first = await provisionDynamoDb(client, definitions);
    expect(first.created).toContain(COUNTS_TABLE);
    expect(first.incidentsCounted).toBe(3);
    expect(await counterItem()).toEqual({ Status: COUNTED_STATUS, IncidentCount: 3 });
    // Kept from now on: started again, nothing is counted twice.
    expect((await provisionDynamoDb(client, definitions)).incidentsCounted).toBe(0);
    expect(await countedByTheApi()).toBe(3);
    expect(await countedByQuery()).toBe(3);
  });

  it('counts each incident once when its transition runs concurrently and is retried, by both paths', async () => {
    const open = specs('concurrent', 12, 'EXAM_SCHEDULED');
    await putIncidents(documents, TABLE, open.map(incidentItem));
    const baseline = await countedByTheApi();
    // Each incident marked four times at once (two workflow retries, two deliveries of the stop event), then again.
    await Promise.all(
      open.flatMap(({ IncidentId }) => [
        workflowAction(IncidentId),
        workflowAction(IncidentId),
        stoppedExecution(IncidentId),
        stoppedExecution(IncidentId),
      ]),
    );
    for (const { IncidentId } of open) {
      await expect(workflowAction(IncidentId)).resolves.toMatchObject({ Status: COUNTED_STATUS });
      await expect(stoppedExecution(IncidentId)).resolves.toMatchObject({ Status: COUNTED_STATUS });
    }
    expect(await counterItem()).toEqual({ Status: COUNTED_STATUS, IncidentCount: baseline + 12 });
    expect(await countedByQuery()).toBe(baseline + 12);
    // Every call emailed: a repeat is not counted again, but still tells the administrators.
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(12 * 6);
    // The mark that it is counted is the store's, not the API's.
    const page = await listed({ status: COUNTED_STATUS, limit: '100' });
    expect(page.Items).toHaveLength(baseline + 12);
    const one = await getIncident(
      proxyEvent({
        path: '/incidents/concurrent-0',
        resource: '/incidents/{IncidentId}',
        pathParameters: { IncidentId: 'concurrent-0' },
        requestContext: adminClaims,
      }),
      lambdaContext('GetIncidentFunction'),
    );
    expect(JSON.parse(one.body)).toMatchObject({ IncidentId: 'concurrent-0', Status: COUNTED_STATUS });
    expect(`${JSON.stringify(page)}${one.body}`).not.toContain('CountedStatus');
  });

  it('equals a full Query count after a mixed workload, the backfill of older incidents running alongside', async () => {
    const scheduled = specs('mixed-open', 15, 'EXAM_SCHEDULED');
    const resolved = specs('mixed-resolved', 6, 'RESOLVED');
    // Needing action from before the counter existed (with or without their index keys): only the backfill counts
    // them, unless TakeAdministrativeAction meets them again first.
    const before = [...specs('mixed-before', 8, COUNTED_STATUS), ...specs('mixed-legacy', 4, COUNTED_STATUS, true)];
    await putIncidents(documents, TABLE, [...scheduled, ...resolved, ...before].map(incidentItem));
    const baseline = await countedByTheApi();

    await Promise.all([
      ...scheduled
        .slice(0, 10)
        .map(({ IncidentId }, index) => (index % 2 ? workflowAction(IncidentId) : stoppedExecution(IncidentId))),
      // A stop after the last step leaves a resolved incident as it is, uncounted.
      ...resolved.map(({ IncidentId }) => stoppedExecution(IncidentId)),
      // Met again by the workflow while the backfill runs: counted once, by whichever comes first.
      ...before.slice(0, 3).map(({ IncidentId }) => workflowAction(IncidentId)),
      backfillIncidentIndexes(documents, TABLE, COUNTS_TABLE, { segments: 3 }),
      // An incident that does not exist is refused and counts nothing.
      expect(workflowAction('mixed-missing')).rejects.toMatchObject({ name: 'IncidentNotFound' }),
    ]);

    const expected = baseline + 10 + before.length;
    expect(await countedByTheApi()).toBe(expected);
    // The legacy incidents are in the index once the backfill gave them their keys.
    expect(await countedByQuery()).toBe(expected);
    expect(await countedByTheApi()).toBe(await countedByQuery());
  });

  it('ScheduleExam takes an incident a redriven run moves on to a new exam out of the count, in the same transaction', async () => {
    // Its first exam failed, then the run was stopped: needing action, counted.
    const [{ IncidentId }] = specs('rescheduled', 1, 'EXAM_SCHEDULED');
    const item = incidentItem({ IncidentId, CreatedAt: '2030-06-01T00:00:00.000Z' });
    item.Exams = [{ ...item.Exams[0], Result: 'FAILED', Score: 20 }];
    await putIncidents(documents, TABLE, [item]);
    await stoppedExecution(IncidentId);
    const counted = await countedByTheApi();
    expect(counted).toBe(await countedByQuery());

    // Redriven, the run schedules the second exam (a retried invocation hands the same exam out again).
    await expect(scheduleExam({ IncidentId }, lambdaContext('ScheduleExamFunction'))).resolves.toMatchObject({
      ExamCount: 2,
    });
    await scheduleExam({ IncidentId }, lambdaContext('ScheduleExamFunction'));
    expect(await countedByTheApi()).toBe(counted - 1);
    expect(await countedByTheApi()).toBe(await countedByQuery());
    // Its second exam not sat: needing action again, counted again.
    await workflowAction(IncidentId);
    expect(await countedByTheApi()).toBe(counted);
    expect(await countedByTheApi()).toBe(await countedByQuery());
  });

  it('the backfill takes out of the count an incident a redriven run moved on (ResolveIncident), and counts it again if it comes back', async () => {
    const [{ IncidentId }] = specs('redriven', 1, 'EXAM_SCHEDULED');
    await putIncidents(documents, TABLE, [incidentItem({ IncidentId, CreatedAt: '2030-06-01T00:00:00.000Z' })]);
    await stoppedExecution(IncidentId);
    const counted = await countedByTheApi();
    // The run redriven after its stop passes the exam: ResolveIncident's update, as the definition writes it.
    await documents.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { IncidentId },
        UpdateExpression: 'SET #status = :resolved, StatusPartition = :partition, UpdatedAt = :now',
        ConditionExpression: 'attribute_exists(IncidentId)',
        ExpressionAttributeNames: { '#status': 'Status' },
        ExpressionAttributeValues: {
          ':resolved': 'RESOLVED',
          ':partition': statusPartition('RESOLVED', IncidentId),
          ':now': '2030-06-08T00:00:00.000Z',
        },
      }),
    );
    expect(await countedByQuery()).toBe(counted - 1);
    expect(await countedByTheApi()).toBe(counted); // the documented gap, until the backfill runs

    const [first, second] = await Promise.all([
      backfillIncidentIndexes(documents, TABLE, COUNTS_TABLE),
      backfillIncidentIndexes(documents, TABLE, COUNTS_TABLE, { segments: 2 }),
    ]);
    expect(first.uncounted + second.uncounted).toBe(1);
    expect(await countedByTheApi()).toBe(counted - 1);
    expect(await countedByTheApi()).toBe(await countedByQuery());
    // Needing action again (another stop): counted again, once.
    await documents.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { IncidentId },
        UpdateExpression: 'SET #status = :scheduled, StatusPartition = :partition',
        ExpressionAttributeNames: { '#status': 'Status' },
        ExpressionAttributeValues: {
          ':scheduled': 'EXAM_SCHEDULED',
          ':partition': statusPartition('EXAM_SCHEDULED', IncidentId),
        },
      }),
    );
    await Promise.all([stoppedExecution(IncidentId), workflowAction(IncidentId)]);
    expect(await countedByTheApi()).toBe(counted);
    expect(await countedByTheApi()).toBe(await countedByQuery());
  });

  it('the backfill counts incidents from before the counter once, however often it runs', async () => {
    const before = specs('backfill', 9, COUNTED_STATUS);
    await putIncidents(documents, TABLE, before.map(incidentItem));
    const baseline = await countedByTheApi();
    expect(baseline).toBe((await countedByQuery()) - 9);

    const [first, second] = await Promise.all([
      backfillIncidentIndexes(documents, TABLE, COUNTS_TABLE),
      backfillIncidentIndexes(documents, TABLE, COUNTS_TABLE, { segments: 2 }),
    ]);
    expect(first.counted + second.counted).toBe(9);
    expect((await backfillIncidentIndexes(documents, TABLE, COUNTS_TABLE)).counted).toBe(0);
    expect(await countedByTheApi()).toBe(baseline + 9);
    expect(await countedByTheApi()).toBe(await countedByQuery());
  });
});
