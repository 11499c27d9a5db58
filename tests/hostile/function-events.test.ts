/**
 * Generated hostile events at every function of template.yaml, run by the Lambda runner (the built bundles, their
 * template environment) against the real DynamoDB Local and SES capture. A Step Functions task function fails with
 * a named error its state machine can tell apart (ValidationError and the other domain errors, never a TypeError
 * or Runtime.*), a proxy function answers a 4xx with the contract's error body, nothing is written or emailed, and
 * the function's worker answers the next valid event.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { LambdaRunner, type LambdaInvokeResult } from '../../local/lambda-runner';
import { dynamoDbClient, startDynamoDbLocal } from '../../local/services/dynamodb-local';
import { freePorts } from '../../local/services/ports';
import { seedRooms } from '../../local/provisioning/seed';
import { startSesCapture } from '../../local/services/ses-capture';
import type { LocalService } from '../../local/services/service';
import { ensureTables, tableDefinitions } from '../../local/provisioning/tables';
import { IntrinsicResolver } from '../../local/template/intrinsics';
import { loadTemplate, PROJECT_ROOT } from '../../local/template/load';
import { functionBundles } from '../support/function-bundles';
import { futureNight } from '../system/support/reservations';
import {
  bodyText,
  eventOf,
  hostileButValidText,
  hostilePathSegment,
  impossibleDate,
  invalidEvent,
  invalidForAnyText,
  lineBreaks,
  malformedText,
  notAString,
  runs,
  type Body,
  type FieldRule,
} from './arbitraries';
import { withoutEffect, type World } from './observe';

jest.setTimeout(120_000);

const template = loadTemplate();
const region = 'us-east-1';

let dynamodb: LocalService;
let ses: LocalService;
let client: DynamoDBClient;
let runner: LambdaRunner;
let world: World;

beforeAll(async () => {
  const bundles = functionBundles();
  const [ddbPort, sesPort] = await freePorts(2);
  [dynamodb, ses] = await Promise.all([
    startDynamoDbLocal({ port: ddbPort }),
    startSesCapture({ port: sesPort }),
    bundles.build(),
  ]);
  client = dynamoDbClient(dynamodb.endpoint);
  await ensureTables(client, tableDefinitions(template, new IntrinsicResolver(template, { region })));
  await seedRooms(client);
  runner = new LambdaRunner({
    template,
    region,
    codeRoot: bundles.codeRoot,
    endpoints: { dynamodb: dynamodb.endpoint, ses: ses.endpoint },
    // As the local cloud gives it: the template's default is the CloudFront distribution, not available locally.
    parameterOverrides: { TestingCentreUrl: 'http://localhost:3000/testcentre/' },
  });
  world = { dynamodb: client, sesUrl: ses.endpoint };
}, 180_000);

afterAll(async () => {
  runner?.close();
  client?.destroy();
  await Promise.all([dynamodb?.stop(), ses?.stop()]);
});

/** The sample event of a function (events/<file>.json), as `npm run invoke` sends it. */
function sampleEvent(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'events', file), 'utf8')) as Record<string, unknown>;
}

function describeEvent(event: unknown): string {
  const text = JSON.stringify(event) ?? String(event);
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
}

/** Invokes the function and checks that nothing anywhere changed. */
function invokeWithoutEffect(functionName: string, event: unknown): Promise<LambdaInvokeResult> {
  return withoutEffect(world, `${functionName} ${describeEvent(event)}`, () => runner.invoke(functionName, event));
}

/** A task function's failure: one of the named errors its state machine handles, with a sentence. */
async function expectNamedFailure(functionName: string, event: unknown, errors: readonly string[]): Promise<void> {
  const result = await invokeWithoutEffect(functionName, event);
  const payload = result.payload as { errorType?: string; errorMessage?: string };
  const context = `${functionName} ${describeEvent(event)}\n→ ${describeEvent(result.payload)}`;
  if (result.functionError !== 'Unhandled')
    throw new Error(`expected a named error, the function succeeded: ${context}`);
  if (!errors.includes(payload.errorType ?? '')) throw new Error(`expected one of ${errors.join(', ')}: ${context}`);
  if (!payload.errorMessage?.trim()) throw new Error(`the error has no message: ${context}`);
}

/** A proxy function's refusal: a 4xx whose body is `{"error": one of errors, "message"}`. */
async function expectRefusal(functionName: string, event: unknown, errors: readonly string[]): Promise<void> {
  const result = await invokeWithoutEffect(functionName, event);
  const response = result.payload as { statusCode?: number; body?: string };
  const context = `${functionName} ${describeEvent(event)}\n→ ${describeEvent(result.payload)}`;
  if (result.functionError) throw new Error(`expected a 4xx response, the function failed: ${context}`);
  if (!response.statusCode || response.statusCode < 400 || response.statusCode > 499)
    throw new Error(`expected a 4xx: ${context}`);
  const body = JSON.parse(response.body ?? '') as { error?: string; message?: string };
  if (!errors.includes(body.error ?? '') || !body.message?.trim())
    throw new Error(`expected one of ${errors.join(', ')}: ${context}`);
}

const reserveRules: Record<string, FieldRule> = {
  GuestName: { required: true, invalid: fc.oneof(invalidForAnyText, fc.constantFrom('', '   ', 'x'.repeat(201))) },
  GuestEmail: {
    required: true,
    invalid: fc.oneof(invalidForAnyText, hostileButValidText, fc.constantFrom('not-an-email', 'a@b')),
  },
  RoomType: {
    required: true,
    invalid: fc.oneof(notAString, hostileButValidText, fc.constantFrom('standard', 'PENTHOUSE', '')),
  },
  CheckIn: { required: true, invalid: fc.oneof(notAString, impossibleDate, malformedText, fc.constant('2020-01-01')) },
  CheckOut: {
    required: true,
    invalid: fc.oneof(notAString, impossibleDate, fc.constantFrom(futureNight(60), futureNight(200))),
  },
  ReservationId: {
    required: false,
    invalid: fc.oneof(invalidForAnyText, lineBreaks, hostileButValidText, fc.constantFrom('', 'x'.repeat(65))),
  },
  TransactionType: { required: false, invalid: fc.oneof(notAString, fc.constantFrom('Cancel', 'reserve', '')) },
};
const validReserve = () => ({
  TransactionType: 'Reserve',
  GuestName: 'Ada Lovelace',
  GuestEmail: 'ada@example.com',
  RoomType: 'SUITE',
  CheckIn: futureNight(60),
  CheckOut: futureNight(62),
});

/** Ids: wrong types, malformed text, line breaks, too long, empty. */
const invalidId = fc.oneof(invalidForAnyText, lineBreaks, fc.constantFrom('', 'x'.repeat(129)));

describe('Step Functions task functions fail with a named error and change nothing', () => {
  const cases: Array<[string, fc.Arbitrary<Body>, readonly string[]]> = [
    ['ReserveRoomFunction', invalidEvent(validReserve, reserveRules), ['ValidationError']],
    [
      'CancelReservationFunction',
      invalidEvent(() => sampleEvent('cancel.json'), {
        ReservationId: {
          required: true,
          invalid: fc.oneof(invalidForAnyText, hostileButValidText, fc.constantFrom('', '  ', 'x'.repeat(65))),
        },
        TransactionType: { required: false, invalid: fc.oneof(notAString, fc.constantFrom('Reserve', '')) },
      }),
      ['ValidationError', 'ReservationNotFound'],
    ],
    [
      'ScheduleExamFunction',
      invalidEvent(() => sampleEvent('schedule-exam.json'), { IncidentId: { required: true, invalid: invalidId } }),
      ['ValidationError'],
    ],
    [
      'SendExamNotificationFunction',
      invalidEvent(() => sampleEvent('send-exam-notification.json'), {
        IncidentId: { required: true, invalid: invalidId },
        ExamId: { required: true, invalid: invalidId },
        Deadline: {
          required: true,
          invalid: fc.oneof(notAString, impossibleDate, fc.constantFrom('2026-02-30T00:00:00Z', 'soon')),
        },
        StudentName: { required: true, invalid: fc.oneof(invalidForAnyText, fc.constantFrom('', 'x'.repeat(201))) },
        StudentEmail: {
          required: true,
          invalid: fc.oneof(invalidForAnyText, hostileButValidText, fc.constantFrom('not-an-email')),
        },
        TaskToken: { required: true, invalid: fc.oneof(notAString, fc.constantFrom('', 'x'.repeat(8193))) },
      }),
      ['ValidationError'],
    ],
    [
      'TakeAdministrativeActionFunction',
      fc.oneof(
        invalidEvent(() => sampleEvent('take-administrative-action.json'), {
          IncidentId: { required: true, invalid: invalidId },
          Reason: {
            required: true,
            invalid: fc.oneof(notAString, hostileButValidText, fc.constantFrom('exam_not_sat', 'workflow_failed', '')),
          },
        }),
        // The workflow's catch-all hands on where and how it failed.
        invalidEvent(
          () => ({
            ...sampleEvent('take-administrative-action.json'),
            Reason: 'WORKFLOW_FAILED',
            FailedState: 'ScheduleExam',
            Error: 'Lambda.ServiceException',
            Cause: 'Service unavailable',
          }),
          {
            FailedState: {
              required: true,
              invalid: fc.oneof(invalidForAnyText, lineBreaks, fc.constantFrom('', 'x'.repeat(81))),
            },
            Error: {
              required: true,
              invalid: fc.oneof(invalidForAnyText, lineBreaks, fc.constantFrom('', 'x'.repeat(257))),
            },
            Cause: { required: true, invalid: fc.oneof(notAString, fc.constant('x'.repeat(32769))) },
          },
        ),
      ),
      ['ValidationError'],
    ],
    [
      'SeedRoomsFunction',
      invalidEvent(() => sampleEvent('seed-rooms.json'), {
        RequestType: { required: true, invalid: notAString },
        ResponseURL: {
          required: true,
          invalid: fc.oneof(
            notAString,
            hostileButValidText,
            fc.constantFrom('', 'file:///etc/passwd', 'ftp://example.com/x', 'javascript:alert(1)'),
          ),
        },
        StackId: { required: true, invalid: fc.oneof(notAString, fc.constant('')) },
        RequestId: { required: true, invalid: fc.oneof(notAString, fc.constant('')) },
        LogicalResourceId: { required: true, invalid: fc.oneof(notAString, fc.constant('')) },
      }),
      ['ValidationError'],
    ],
  ];

  test.each(cases)('%s', async (functionName, events, errors) => {
    await fc.assert(
      fc.asyncProperty(events, (body) => expectNamedFailure(functionName, eventOf(body), errors)),
      runs(20),
    );
  });
});

/** An API Gateway proxy event of the sample, with parts replaced. */
function proxyEvent(file: string, parts: Record<string, unknown>): Record<string, unknown> {
  return { ...sampleEvent(file), ...parts };
}

/** Whole events that are no API Gateway proxy event at all. */
const notAProxyEvent = fc.constantFrom<unknown>(null, [], 'GET', 42, true, {}, { httpMethod: 'GET' });

/** Proxy-event parts of the wrong shape (API Gateway never sends them, but an event is input like any other). */
const wrongShapedParts = fc.oneof(
  fc.record({
    pathParameters: fc.constantFrom<unknown>(
      42,
      'IncidentId=x',
      ['x'],
      { IncidentId: 42, ReservationId: null },
      { IncidentId: { S: 'x' } },
    ),
  }),
  fc.record({
    queryStringParameters: fc.constantFrom<unknown>([], 'a=b', 42, { IncidentId: ['a', 'b'] }, { q: null }),
  }),
  fc.record({ body: fc.oneof(fc.integer(), fc.constant({ a: 1 }), fc.constant([])) }),
  fc.record({
    isBase64Encoded: fc.constant(true),
    body: fc.constantFrom('!!!not base64!!!', Buffer.from([0xff, 0xfe, 0x00]).toString('base64'), ''),
  }),
);

describe('proxy functions answer a 4xx with a named error and change nothing', () => {
  test('GetReservationFunction', async () => {
    const event = fc.oneof(
      fc
        .oneof(hostilePathSegment, invalidId)
        .map((id) => proxyEvent('get-reservation.json', { pathParameters: { ReservationId: id } })),
      notAProxyEvent,
      wrongShapedParts.map((parts) => proxyEvent('get-reservation.json', parts)),
    );
    await fc.assert(
      fc.asyncProperty(event, (value) =>
        // Forbidden: an event without the authorizer's claims (a bare {}) is nobody signed in to the agents' group.
        expectRefusal('GetReservationFunction', value, ['ValidationError', 'ReservationNotFound', 'Forbidden']),
      ),
      runs(20),
    );
  });

  test('GetIncidentFunction', async () => {
    const event = fc.oneof(
      fc
        .oneof(hostilePathSegment, invalidId)
        .map((id) => proxyEvent('get-incident.json', { pathParameters: { IncidentId: id } })),
      notAProxyEvent,
      wrongShapedParts.map((parts) => proxyEvent('get-incident.json', parts)),
    );
    await fc.assert(
      fc.asyncProperty(event, (value) =>
        expectRefusal('GetIncidentFunction', value, ['ValidationError', 'IncidentNotFound', 'Forbidden']),
      ),
      runs(20),
    );
  });

  test('SubmitExamFunction', async () => {
    const submission = invalidEvent(
      () => JSON.parse(sampleEvent('submit-exam.json').body as string) as Record<string, unknown>,
      {
        IncidentId: { required: true, invalid: invalidId },
        ExamId: { required: true, invalid: invalidId },
        TaskToken: { required: true, invalid: fc.oneof(notAString, fc.constantFrom('', 'x'.repeat(8193))) },
        Answers: {
          required: true,
          invalid: fc.oneof(
            notAString,
            fc.constant({ NoSuchQuestion: 'a' }),
            fc.constant(JSON.parse('{"__proto__":"a"}')),
          ),
        },
      },
    );
    const event = fc.oneof(
      submission.map((body) => proxyEvent('submit-exam.json', { body: bodyText(body) })),
      notAProxyEvent,
      wrongShapedParts.map((parts) => proxyEvent('submit-exam.json', parts)),
    );
    await fc.assert(
      fc.asyncProperty(event, (value) =>
        expectRefusal('SubmitExamFunction', value, ['ValidationError', 'ExamNotFound']),
      ),
      runs(20),
    );
  });

  test('GetExamQuestionsFunction with link parameters', async () => {
    const link = fc.record(
      {
        IncidentId: fc.oneof(hostilePathSegment, invalidId),
        ExamId: fc.oneof(hostilePathSegment, invalidId),
        TaskToken: fc.oneof(hostilePathSegment, notAString),
      },
      { requiredKeys: [] },
    );
    const event = fc.oneof(
      link
        .filter((query) => Object.keys(query).length > 0)
        .map((query) => proxyEvent('get-exam-questions.json', { queryStringParameters: query })),
      // An object without parameters is a request for the questions alone (200), so only non-objects here.
      notAProxyEvent.filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)),
      // A GET does not read its body, so an undecodable one (a string, as bodies are) is no reason to refuse.
      wrongShapedParts
        .filter((parts) => !('isBase64Encoded' in parts))
        .map((parts) => proxyEvent('get-exam-questions.json', parts)),
    );
    await fc.assert(
      fc.asyncProperty(event, (value) =>
        expectRefusal('GetExamQuestionsFunction', value, ['ValidationError', 'ExamNotFound']),
      ),
      runs(20),
    );
  });

  test('ListIncidentsFunction answers a page or a named 400 whatever the query holds, and refuses an event that is no proxy event', async () => {
    // Hostile names and values, and the contract's own parameters with hostile values (issue 18: a parameter it
    // does not name, or a bad value or token, is a 400 ValidationError; never a 5xx).
    const query = fc.oneof(
      fc.dictionary(hostilePathSegment, hostilePathSegment, { maxKeys: 3 }),
      fc.dictionary(fc.constantFrom('limit', 'nextToken', 'status', 'studentId', 'select'), hostilePathSegment, {
        maxKeys: 3,
      }),
    );
    await fc.assert(
      fc.asyncProperty(query, async (queryStringParameters) => {
        const result = await invokeWithoutEffect(
          'ListIncidentsFunction',
          proxyEvent('list-incidents.json', { queryStringParameters }),
        );
        const { statusCode, body } = result.payload as { statusCode: number; body: string };
        expect({ statusCode, error: statusCode === 200 ? undefined : JSON.parse(body).error }).toEqual(
          statusCode === 200 ? { statusCode, error: undefined } : { statusCode: 400, error: 'ValidationError' },
        );
      }),
      runs(10),
    );
    const malformed = fc.oneof(
      notAProxyEvent.filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)),
      wrongShapedParts.map((parts) => proxyEvent('list-incidents.json', parts)),
    );
    await fc.assert(
      fc.asyncProperty(malformed, (value) => expectRefusal('ListIncidentsFunction', value, ['ValidationError'])),
      runs(10),
    );
  });
});

describe('after the hostile events', () => {
  test('every worker answers a valid event', async () => {
    const reserved = await runner.invoke('ReserveRoomFunction', validReserve());
    expect(reserved.payload).toMatchObject({ Status: 'CONFIRMED' });
    const { ReservationId } = reserved.payload as { ReservationId: string };
    expect(
      (await runner.invoke('CancelReservationFunction', { TransactionType: 'Cancel', ReservationId })).payload,
    ).toMatchObject({ Status: 'CANCELLED' });
    expect(
      (
        await runner.invoke(
          'GetReservationFunction',
          proxyEvent('get-reservation.json', { pathParameters: { ReservationId } }),
        )
      ).payload,
    ).toMatchObject({
      statusCode: 200,
    });
    // The plagiarism functions on an incident that does not exist: the domain's answer, from a working function.
    for (const [functionName, event] of [
      ['ScheduleExamFunction', { IncidentId: 'no-such-incident' }],
      ['TakeAdministrativeActionFunction', { IncidentId: 'no-such-incident', Reason: 'EXAM_NOT_SAT' }],
    ] as const) {
      expect((await runner.invoke(functionName, event)).payload).toMatchObject({ errorType: 'IncidentNotFound' });
    }
    expect(
      (
        await runner.invoke(
          'GetExamQuestionsFunction',
          proxyEvent('get-exam-questions.json', { queryStringParameters: null }),
        )
      ).payload,
    ).toMatchObject({
      statusCode: 200,
    });
  });
});
