import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadRestApis } from '../../local/apigw/load-apis';
import { RouteTable } from '../../local/apigw/routes';
import { startApiGateway, type ApiGatewayServer } from '../../local/apigw/server';
import { DEFAULT_TEMPLATE, loadTemplate } from '../../local/template/load';
import fc from 'fast-check';
import type { ApiRequest } from '../../local/apigw/api-request';
import { nameMap } from '../../local/apigw/name-map';
import { RequestValidation } from '../../local/apigw/request-validation';
import { publicQuestions } from '../../functions/shared/plagiarism/question-bank';
import { identifier } from '../../functions/shared/infrastructure/validation';
import { runs } from '../hostile/arbitraries';
import { LambdaServiceError } from '../../local/lambda-runner';
import { FakeLambda, FakeStepFunctions } from './fakes';
import { startTestUserPool, type TestUserPool } from './support/test-user-pool';

/**
 * The project's own template.yaml through the emulator: every route of docs/contract.md resolves to the
 * integration the contract and docs/ARCHITECTURE.md name, and the template's Step Functions mapping
 * templates run (against a fake Step Functions endpoint) to the contract's responses.
 */

const REGION = 'us-east-1';
const KEY = 'local-dev-key';
const template = loadTemplate(DEFAULT_TEMPLATE);
const sm = (name: string) => `arn:aws:states:${REGION}:123456789012:stateMachine:${name}`;
const fn = (name: string) => `arn:aws:lambda:${REGION}:123456789012:function:${name}`;

/** Time for a test that sends several bodies of 6-9 MB (jest's default is 5 s). */
const LARGE_BODY_MS = 30_000;

describe('every contract route resolves to its integration', () => {
  const routes = new RouteTable(loadRestApis(template, REGION));
  test.each([
    ['POST', '/reservations', 'aws', 'StartSyncExecution', true],
    ['GET', '/reservations/R-1', 'aws_proxy', fn('GetReservationFunction'), true],
    ['POST', '/incident', 'aws', 'StartExecution', true],
    ['GET', '/incidents', 'aws_proxy', fn('ListIncidentsFunction'), true],
    ['GET', '/incidents/I-1', 'aws_proxy', fn('GetIncidentFunction'), true],
    ['GET', '/incidents/I-1/workflow', 'aws', 'DescribeExecution', true],
    ['POST', '/incidents/I-1/redrive', 'aws', 'RedriveExecution', true],
    ['POST', '/exam', 'aws_proxy', fn('SubmitExamFunction'), false],
    ['GET', '/exam/questions', 'aws_proxy', fn('GetExamQuestionsFunction'), false],
  ])('%s %s → %s %s (sign-in %s)', (method, url, type, target, signIn) => {
    const match = routes.match(method, url);
    expect(match).toBeDefined();
    expect(match!.method.integration.type).toBe(type);
    expect(match!.method.integration.target).toBe(target);
    expect(match!.method.apiKeyRequired).toBe(false);
    expect(match!.method.authorizer?.userPools).toEqual(signIn ? ['StaffUserPool'] : undefined);
  });

  test('every route answers a CORS preflight without signing in', () => {
    for (const url of [
      '/reservations',
      '/reservations/R-1',
      '/incident',
      '/incidents',
      '/incidents/I-1',
      '/incidents/I-1/workflow',
      '/incidents/I-1/redrive',
      '/exam',
      '/exam/questions',
    ]) {
      const match = routes.match('OPTIONS', url);
      expect(match?.method.integration.type).toBe('mock');
      expect(match?.method.apiKeyRequired).toBe(false);
      expect(match?.method.authorizer).toBeUndefined();
    }
  });
});

/** Lambda's Invoke as the local runner answers it: an event over 6,291,456 bytes is refused before any function runs. */
class SizeLimitedLambda extends FakeLambda {
  override async invoke(functionName: string, event: unknown) {
    if (Buffer.byteLength(JSON.stringify(event)) > 6_291_456) {
      const message = 'Request must be smaller than 6291456 bytes for the InvokeFunction operation';
      throw new LambdaServiceError('RequestTooLargeException', message, 413);
    }
    return super.invoke(functionName, event);
  }
}

describe("the template's mapping templates", () => {
  let sfn: FakeStepFunctions;
  let gateway: ApiGatewayServer;
  let webRoot: string;
  let staff: TestUserPool;
  const logLines: string[] = [];
  const lambda = new SizeLimitedLambda({
    SubmitExamFunction: () => ({ statusCode: 200, body: '{"accepted":true}' }),
  });

  beforeAll(async () => {
    sfn = new FakeStepFunctions();
    await sfn.start();
    webRoot = mkdtempSync(path.join(tmpdir(), 'apigw-real-'));
    staff = await startTestUserPool();
    gateway = await startApiGateway({
      port: 0,
      template,
      lambda,
      sfnEndpoint: sfn.url,
      apiKey: KEY,
      userPools: [staff.pool],
      webRoot,
      region: REGION,
      log: (line) => logLines.push(line),
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await sfn?.stop();
    await staff?.stop();
    rmSync(webRoot, { recursive: true, force: true });
  });

  /** A POST signed in as a member of the group the route admits, or of `group`, or (null) not signed in. */
  const post = async (
    url: string,
    body: unknown,
    group: 'admins' | 'agents' | null = url === '/reservations' ? 'agents' : 'admins',
    headers: Record<string, string> = {},
  ) => {
    const credentials = group === null ? {} : await staff.authorization(group);
    const response = await fetch(`${gateway.url}${url}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...credentials, ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: await response.json(), headers: response.headers };
  };

  const incident = {
    StudentId: 's-1',
    StudentName: "Ann O'Neil",
    StudentEmail: 'ann@example.com',
    IncidentDate: '2026-01-15',
  };

  const executionArn = (name: string) => `${sm('PlagiarismStateMachine').replace('stateMachine', 'execution')}:${name}`;

  test('POST /incident starts the plagiarism workflow named by the request id and answers {IncidentId, executionArn, startDate}', async () => {
    sfn.reply(200, { executionArn: executionArn('x'), startDate: 1.7e9 });
    const response = await post('/incident', incident);
    expect(response.status).toBe(200);
    const sent = sfn.calls.at(-1)!;
    expect(sent.target).toBe('AWSStepFunctions.StartExecution');
    expect(sent.body.stateMachineArn).toBe(sm('PlagiarismStateMachine'));
    expect(sent.body.name).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(sent.body.input)).toEqual({ IncidentId: sent.body.name, ...incident });
    // The IncidentId is the execution's name, read from the ARN Step Functions answered.
    expect(response.json).toEqual({
      IncidentId: 'x',
      executionArn: executionArn('x'),
      startDate: '2023-11-14T22:13:20.000Z',
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  // StartExecution's startDate (epoch seconds with a fraction) to ISO-8601, to the millisecond: a repeat answers the
  // first start's time, not its own request's.
  test.each([
    [1763710020.123, '2025-11-21T07:27:00.123Z'],
    [0.5, '1970-01-01T00:00:00.500Z'],
    [Date.UTC(2024, 1, 29, 23, 59, 59, 999) / 1000, '2024-02-29T23:59:59.999Z'],
    [Date.UTC(2000, 11, 31, 9, 5, 7, 7) / 1000, '2000-12-31T09:05:07.007Z'],
    [Date.UTC(2100, 2, 1, 0, 0, 0, 40) / 1000, '2100-03-01T00:00:00.040Z'],
  ])('POST /incident: startDate %d is %s', async (startDate, iso) => {
    sfn.reply(200, { executionArn: executionArn('x'), startDate });
    expect((await post('/incident', incident)).json.startDate).toBe(iso);
  });

  test('POST /incident with an Idempotency-Key: the key names the execution and is the IncidentId', async () => {
    const key = 'Client_key-0123456789';
    sfn.reply(200, { executionArn: executionArn(key), startDate: 1.7e9 });
    const response = await post('/incident', incident, 'admins', { 'Idempotency-Key': key });
    const sent = sfn.calls.at(-1)!;
    expect(sent.body.name).toBe(key);
    expect(JSON.parse(sent.body.input)).toEqual({ IncidentId: key, ...incident });
    expect(response).toMatchObject({ status: 200, json: { IncidentId: key, executionArn: executionArn(key) } });
    // The same body renders the same input (what makes StartExecution's answer to a repeat idempotent).
    sfn.reply(200, { executionArn: executionArn(key), startDate: 1.7e9 });
    await post('/incident', JSON.parse(JSON.stringify(incident)), 'admins', { 'idempotency-key': key });
    expect(sfn.calls.at(-1)!.body).toEqual(sent.body);
  });

  test.each([
    ['a space', 'two words'],
    [
      'a quote that would break out of the JSON',
      'k","stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:Other',
    ],
    ['a slash', 'a/b'],
    ['a non-ASCII letter', 'clé'],
    ['81 characters', 'k'.repeat(81)],
  ])(
    'POST /incident with an Idempotency-Key with %s: the name sent is one Step Functions refuses, and the answer is 400 ValidationError',
    async (_case, key) => {
      sfn.reply(400, { __type: 'com.amazonaws.swf.service.v2.model#InvalidName', message: 'Invalid Name' });
      const response = await post('/incident', incident, 'admins', {
        'Idempotency-Key': encodeURI(key) === key ? key : key.replace(/é/g, 'e\u00e9'),
      });
      const sent = sfn.calls.at(-1)!;
      expect(sent.body.stateMachineArn).toBe(sm('PlagiarismStateMachine'));
      expect(sent.body.name).toBe('invalid Idempotency-Key');
      expect(response.status).toBe(400);
      expect(response.json.error).toBe('ValidationError');
      expect(response.json.message).toMatch(/^Idempotency-Key must be/);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    },
  );

  test.each([
    [
      'ExecutionAlreadyExists',
      'com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists',
      409,
      'IncidentAlreadyExists',
    ],
    ['ExecutionAlreadyExists (local __type)', 'ExecutionAlreadyExists', 409, 'IncidentAlreadyExists'],
    ['InvalidName', 'InvalidName', 400, 'ValidationError'],
    [
      'StateMachineDoesNotExist',
      'com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist',
      500,
      'InternalServerError',
    ],
    ['a throttle', 'com.amazonaws.swf.service.v2.model#ThrottlingException', 503, 'ServiceUnavailable'],
  ])('POST /incident when Step Functions answers %s', async (_case, type, status, error) => {
    sfn.reply(400, { __type: type, message: 'refused' });
    const response = await post('/incident', incident, 'admins', { 'Idempotency-Key': 'k-1' });
    expect(response.status).toBe(status);
    expect(response.json.error).toBe(error);
    expect(response.json.message).toEqual(expect.any(String));
  });

  test.each([
    [
      'POST /incident',
      '/incident',
      'The incident service is busy; nothing was registered. Please try again in a moment.',
    ],
    [
      'POST /reservations',
      '/reservations',
      'The reservation service is temporarily unavailable. Please try again in a moment.',
    ],
  ])(
    '%s throttled by Step Functions is 503 ServiceUnavailable with Retry-After: nothing ran, the caller may repeat it',
    async (_route, route, message) => {
      sfn.reply(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
      const body = route === '/incident' ? incident : { TransactionType: 'Reserve', GuestName: 'Ann' };
      const response = await post(route, body);
      expect({ status: response.status, json: response.json, retryAfter: response.headers.get('retry-after') }).toEqual(
        {
          status: 503,
          json: { error: 'ServiceUnavailable', message },
          retryAfter: '5',
        },
      );
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    },
  );

  test('POST /incident when Step Functions fails is 500 InternalServerError', async () => {
    sfn.reply(500, { __type: 'InternalFailure', message: 'oops' });
    expect(await post('/incident', incident)).toMatchObject({
      status: 500,
      json: { error: 'InternalServerError', message: 'The incident workflow could not be started.' },
    });
  });

  test.each([
    ['/incident', 'agents', 'Registering incidents is for members of the group admins'],
    ['/reservations', 'admins', 'Reservations are for members of the group agents'],
  ] as const)(
    'POST %s by a member of %s: what is sent to Step Functions names no state machine, and the answer is 403 Forbidden',
    async (route, group, message) => {
      // Step Functions refuses a request without a stateMachineArn (ValidationException): nothing starts.
      sfn.reply(400, {
        __type: 'ValidationException',
        message: "Value null at 'stateMachineArn' failed to satisfy constraint",
      });
      const response = await post(
        route,
        route === '/incident' ? incident : { TransactionType: 'Cancel', ReservationId: 'R-1' },
        group,
      );
      expect(sfn.calls.at(-1)!.body).toEqual({});
      expect(response).toMatchObject({
        status: 403,
        json: { error: 'Forbidden', message: expect.stringContaining(message) },
      });
    },
  );

  describe("an incident's workflow run: GET /incidents/{IncidentId}/workflow, POST /incidents/{IncidentId}/redrive", () => {
    const get = async (url: string, group: 'admins' | 'agents' = 'admins') => {
      const response = await fetch(`${gateway.url}${url}`, { headers: await staff.authorization(group) });
      return { status: response.status, json: await response.json() };
    };

    test('GET describes the execution named after the incident: status, error and cause as text, redrivable', async () => {
      const cause = '{"errorMessage":"it\'s "down"\\n","errorType":"ServiceException"}';
      sfn.reply(200, {
        executionArn: executionArn('I-1'),
        status: 'FAILED',
        error: 'Lambda.ServiceException',
        cause,
        redriveCount: 0,
        redriveStatus: 'REDRIVABLE',
      });
      const response = await get('/incidents/I-1/workflow');
      expect(sfn.calls.at(-1)).toMatchObject({
        target: 'AWSStepFunctions.DescribeExecution',
        body: { executionArn: executionArn('I-1') },
      });
      expect(response).toEqual({
        status: 200,
        json: {
          IncidentId: 'I-1',
          Status: 'FAILED',
          Error: 'Lambda.ServiceException',
          Cause: cause,
          RedriveCount: 0,
          Redrivable: true,
        },
      });
      sfn.reply(200, {
        status: 'SUCCEEDED',
        redriveCount: 2,
        redriveStatus: 'NOT_REDRIVABLE',
        redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
      });
      expect((await get('/incidents/I-1/workflow')).json).toEqual({
        IncidentId: 'I-1',
        Status: 'SUCCEEDED',
        RedriveCount: 2,
        Redrivable: false,
        RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
      });
    });

    test('POST redrives it and answers {IncidentId, executionArn}; not redrivable is 409 with the reason', async () => {
      sfn.reply(200, { redriveDate: 1.7e9 });
      expect(await post('/incidents/I-1/redrive', undefined)).toMatchObject({
        status: 200,
        json: { IncidentId: 'I-1', executionArn: executionArn('I-1') },
      });
      expect(sfn.calls.at(-1)).toMatchObject({
        target: 'AWSStepFunctions.RedriveExecution',
        body: { executionArn: executionArn('I-1') },
      });
      sfn.reply(400, { __type: 'ExecutionNotRedrivable', message: 'Execution is RUNNING and cannot be redriven' });
      expect(await post('/incidents/I-1/redrive', undefined)).toMatchObject({
        status: 409,
        json: {
          error: 'WorkflowNotRedrivable',
          message: "This incident's workflow cannot be redriven: Execution is RUNNING and cannot be redriven",
        },
      });
      sfn.reply(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
      const throttled = await post('/incidents/I-1/redrive', undefined);
      expect(throttled).toMatchObject({ status: 503, json: { error: 'ServiceUnavailable' } });
      expect(throttled.headers.get('retry-after')).toBe('5');
    });

    test.each([
      ['GET', '/incidents/unknown/workflow'],
      ['POST', '/incidents/unknown/redrive'],
    ])('%s %s of no workflow is 404 IncidentNotFound', async (method, url) => {
      sfn.reply(400, { __type: 'ExecutionDoesNotExist', message: 'Execution Does Not Exist' });
      const response = method === 'GET' ? await get(url) : await post(url, undefined);
      expect(response).toMatchObject({ status: 404, json: { error: 'IncidentNotFound' } });
    });

    test.each([
      ['GET', '/incidents/I-1/workflow', 'agents'],
      ['POST', '/incidents/I-1/redrive', 'agents'],
      ['GET', '/incidents/I-1%22%2C%22x/workflow', 'admins'],
      ['POST', '/incidents/a%3Ab/redrive', 'admins'],
    ] as const)(
      '%s %s as a member of %s: the ARN sent is empty (nothing read or redriven)',
      async (method, url, group) => {
        sfn.reply(400, { __type: 'ValidationException', message: "Value '' at 'executionArn' failed" });
        const response = method === 'GET' ? await get(url, group) : await post(url, undefined, group);
        expect(sfn.calls.at(-1)!.body).toEqual({ executionArn: '' });
        expect(response.status).toBe(group === 'agents' ? 403 : 404);
      },
    );
  });

  test('POST /incident answers a CORS preflight that allows the Idempotency-Key header', async () => {
    const response = await fetch(`${gateway.url}/incident`, { method: 'OPTIONS' });
    expect(response.headers.get('access-control-allow-headers')).toBe('Content-Type,Authorization,Idempotency-Key');
  });

  test('POST /incident: an invalid body is 400 ValidationError; not signed in is 401', async () => {
    const invalid = await post('/incident', { ...incident, StudentEmail: 'not-an-email' });
    expect(invalid).toMatchObject({
      status: 400,
      json: {
        error: 'ValidationError',
        message: expect.stringMatching(
          /^Invalid request body: \[ECMA 262 regex .* does not match input string "not-an-email"\]$/,
        ),
      },
    });
    // The BAD_REQUEST_BODY template gives the validator's words, escaped for JSON: a missing field is named.
    const { StudentEmail: _missing, ...withoutEmail } = incident;
    const missing = await post('/incident', withoutEmail);
    expect(missing).toMatchObject({
      status: 400,
      json: {
        error: 'ValidationError',
        message: 'Invalid request body: [object has missing required properties (["StudentEmail"])]',
      },
    });
    expect((await post('/incident', incident, null)).status).toBe(401);
  });

  test.each([
    [
      'SUCCEEDED',
      { status: 'SUCCEEDED', output: '{"TransactionType":"Reserve","Status":"CONFIRMED"}' },
      200,
      { TransactionType: 'Reserve', Status: 'CONFIRMED' },
    ],
    [
      'RoomUnavailable',
      {
        status: 'FAILED',
        error: 'RoomUnavailable',
        cause: JSON.stringify({
          errorType: 'RoomUnavailable',
          errorMessage: "No SUITE room is free for the guest's stay",
          trace: [],
        }),
      },
      409,
      { error: 'RoomUnavailable', message: "No SUITE room is free for the guest's stay" },
    ],
    [
      'ValidationError',
      {
        status: 'FAILED',
        error: 'ValidationError',
        cause: JSON.stringify({ errorType: 'ValidationError', errorMessage: 'CheckIn must be a date', trace: [] }),
      },
      400,
      { error: 'ValidationError', message: 'CheckIn must be a date' },
    ],
    [
      'ReservationNotFound',
      {
        status: 'FAILED',
        error: 'ReservationNotFound',
        cause: JSON.stringify({ errorType: 'ReservationNotFound', errorMessage: 'No reservation R-9', trace: [] }),
      },
      404,
      { error: 'ReservationNotFound', message: 'No reservation R-9' },
    ],
    [
      'UnknownTransactionType',
      { status: 'FAILED', error: 'UnknownTransactionType', cause: 'TransactionType must be Reserve or Cancel' },
      400,
      { error: 'UnknownTransactionType', message: 'TransactionType must be Reserve or Cancel' },
    ],
    [
      'another failure',
      { status: 'FAILED', error: 'States.Runtime', cause: 'boom' },
      500,
      { error: 'InternalServerError', message: 'The reservation could not be processed.' },
    ],
  ])('POST /reservations, execution %s', async (_case, reply, status, body) => {
    sfn.reply(200, reply);
    const response = await post('/reservations', { TransactionType: 'Reserve', GuestName: 'Ann' });
    expect(sfn.calls.at(-1)).toMatchObject({
      target: 'AWSStepFunctions.StartSyncExecution',
      body: {
        stateMachineArn: sm('CallCentreStateMachine'),
        input: JSON.stringify({ TransactionType: 'Reserve', GuestName: 'Ann' }),
      },
    });
    expect(response.status).toBe(status);
    expect(response.json).toEqual(body);
  });

  test("POST /reservations, execution ended in the call centre's ServiceUnavailable Fail state: 503 with its Cause and Retry-After", async () => {
    const cause = 'The reservation service is temporarily unavailable. Please try again in a moment.';
    sfn.reply(200, { status: 'FAILED', error: 'ServiceUnavailable', cause });
    const response = await post('/reservations', { TransactionType: 'Reserve', GuestName: 'Ann' });
    expect(response.status).toBe(503);
    expect(response.json).toEqual({ error: 'ServiceUnavailable', message: cause });
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  test('POST /reservations answers Retry-After only with its 503', async () => {
    sfn.reply(200, {
      status: 'FAILED',
      error: 'RoomUnavailable',
      cause: JSON.stringify({ errorType: 'RoomUnavailable', errorMessage: 'No room', trace: [] }),
    });
    const response = await post('/reservations', { TransactionType: 'Reserve', GuestName: 'Ann' });
    expect(response.status).toBe(409);
    expect(response.headers.get('retry-after')).toBeNull();
  });

  test("POST /reservations when Step Functions refuses the call is 500 with the template's error body", async () => {
    sfn.reply(400, { __type: 'StateMachineDoesNotExist', message: 'no such state machine' });
    expect(await post('/reservations', { TransactionType: 'Reserve' })).toMatchObject({
      status: 500,
      json: { error: 'InternalServerError', message: 'The reservation workflow could not be started.' },
    });
  });
  describe('POST /exam: the ExamSubmission model', () => {
    const questions = publicQuestions();
    const answers = Object.fromEntries(
      questions.map((question) => [question.QuestionId, Object.keys(question.Choices)[0]]),
    );
    const valid = { IncidentId: 'incident-1', ExamId: 'exam-1', TaskToken: 'token', Answers: answers };
    const submit = async (body: string, contentType = 'application/json') => {
      const calls = lambda.calls.length;
      const response = await fetch(`${gateway.url}/exam`, {
        method: 'POST',
        headers: { 'Content-Type': contentType },
        body,
      });
      return { status: response.status, json: await response.json(), reachedFunction: lambda.calls.length > calls };
    };
    const refused = {
      status: 400,
      json: { error: 'ValidationError', message: expect.stringMatching(/^Invalid request body: \[.+\]$/s) },
      reachedFunction: false,
    };

    test('a valid submission reaches the function, whatever its Content-Type, at every limit the function allows', async () => {
      const atLimits = {
        IncidentId: 'i'.repeat(128),
        ExamId: '\u{1F600}'.repeat(64),
        TaskToken: 't'.repeat(8192),
        Answers: answers,
      };
      for (const body of [valid, atLimits, { ...valid, Answers: {} }]) {
        expect(await submit(JSON.stringify(body))).toEqual({
          status: 200,
          json: { accepted: true },
          reachedFunction: true,
        });
      }
      expect(await submit(JSON.stringify(valid), 'text/plain')).toEqual({
        status: 200,
        json: { accepted: true },
        reachedFunction: true,
      });
    });

    // Five 7 MB bodies parsed and checked against the model are CPU work: on a loaded 2-core machine, over 5 s.
    test(
      'a 7 MB submission is a 400 ValidationError from API Gateway, whatever its Content-Type; the function never sees it',
      async () => {
        const sevenMegabytes = 'x'.repeat(7 * 1024 * 1024);
        for (const body of [
          { ...valid, Answers: { ...answers, q1: sevenMegabytes } },
          { ...valid, TaskToken: sevenMegabytes },
          { ...valid, Answers: Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, 'a'])) },
          { ...valid, Padding: sevenMegabytes },
        ]) {
          const text = JSON.stringify(body);
          expect(text.length).toBeGreaterThan(2 * 1024 * 1024);
          expect(await submit(text)).toEqual(refused);
        }
        expect(await submit(JSON.stringify({ ...valid, TaskToken: sevenMegabytes }), 'text/plain')).toEqual(refused);
      },
      LARGE_BODY_MS,
    );

    test(
      "padded with whitespace to 6-9 MB it passes the model, but its event is over Lambda's 6 MB: the API's REQUEST_TOO_LARGE response, 400 ValidationError",
      async () => {
        for (const megabytes of [6, 7, 9]) {
          const padded = JSON.stringify(valid).replace(',', `,${' '.repeat(megabytes * 1024 * 1024)}`);
          const calls = lambda.calls.length;
          const response = await fetch(`${gateway.url}/exam`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: padded,
          });
          expect({
            status: response.status,
            json: await response.json(),
            errorType: response.headers.get('x-amzn-errortype'),
            cors: response.headers.get('access-control-allow-origin'),
            reachedFunction: lambda.calls.length > calls,
          }).toEqual({
            status: 400,
            json: {
              error: 'ValidationError',
              message:
                'Invalid request body: Request Too Long (a request must be under about 6 MB, whitespace included)',
            },
            errorType: 'BadRequestException',
            cors: '*',
            reachedFunction: false,
          });
        }
        expect(logLines.at(-1)).toMatch(
          /^\[apigw\] POST \/exam 400 \d+ms \(Lambda invoke of .*SubmitExamFunction refused the event: Request must be smaller than 6291456 bytes/,
        );
      },
      LARGE_BODY_MS,
    );

    test("over 10 MB it is API Gateway's 413 Request Too Long", async () => {
      const response = await submit(JSON.stringify({ ...valid, TaskToken: 'x'.repeat(11 * 1024 * 1024) }));
      expect(response).toEqual({ status: 413, json: { message: 'Request Too Long' }, reachedFunction: false });
    });

    test('the log line of a refused submission says where the body broke the model, never what it held', async () => {
      const token = `secret-token-${'x'.repeat(9000)}`;
      expect(await submit(JSON.stringify({ ...valid, TaskToken: token, Answers: { q1: 'a'.repeat(17) } }))).toEqual(
        refused,
      );
      const line = logLines.at(-1)!;
      expect(line).toMatch(
        /^\[apigw\] POST \/exam 400 \d+ms \(invalid request body: \/TaskToken maxLength, \/Answers\/q1 maxLength\)$/,
      );
      expect(line).not.toContain('secret-token');
    });

    test.each([
      ['no TaskToken', { ...valid, TaskToken: undefined }],
      ['an empty IncidentId', { ...valid, IncidentId: '' }],
      ['an ExamId over 128 characters', { ...valid, ExamId: 'e'.repeat(129) }],
      ['an IncidentId with a line break', { ...valid, IncidentId: 'a\nb' }],
      ['an ExamId with a lone surrogate', { ...valid, ExamId: 'a\ud800' }],
      ['a TaskToken over 8192 characters', { ...valid, TaskToken: 't'.repeat(8193) }],
      ['Answers that is a list', { ...valid, Answers: ['a'] }],
      ['an answer that is a number', { ...valid, Answers: { q1: 1 } }],
      ['an answer over 16 characters', { ...valid, Answers: { q1: 'a'.repeat(17) } }],
      ['an answer key over 64 characters', { ...valid, Answers: { ['q'.repeat(65)]: 'a' } }],
      ['an empty answer key', { ...valid, Answers: { '': 'a' } }],
      ['101 answers', { ...valid, Answers: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`q${i}`, 'a'])) }],
      ['a property the contract does not name', { ...valid, Score: 100 }],
      ['an array', [valid]],
      ['an empty body', undefined],
    ])('%s is refused by API Gateway', async (_case, body) => {
      expect(await submit(body === undefined ? '' : JSON.stringify(body))).toEqual(refused);
    });
  });
});

/**
 * The model refuses nothing SubmitExamFunction accepts: submissions built from what the function takes (ids its
 * identifier(128) accepts, any token of 1 to 8192 characters, answers to questions of the bank with their choice
 * keys) all pass the emulator's validator for POST /exam.
 */
describe('the ExamSubmission model and SubmitExamFunction', () => {
  const method = new RouteTable(loadRestApis(template, REGION)).match('POST', '/exam')!.method;
  const validation = new RequestValidation();
  const accepts = (body: unknown, contentType = 'application/json') =>
    validation.validate(
      method,
      {
        headers: nameMap([['Content-Type', contentType]]),
        body: Buffer.from(JSON.stringify(body)),
      } as unknown as ApiRequest,
      {},
    );

  const questions = publicQuestions();
  const idUnit = fc.constantFrom(
    'a',
    'Z',
    '0',
    '-',
    '_',
    ':',
    '/',
    ' ',
    '\u00e9',
    '\u05e9',
    '\u202e',
    '\u{1F600}',
    '<',
    '"',
    "'",
    '\\',
  );
  const id = fc.string({ unit: idUnit, minLength: 1, maxLength: 64 });
  const token = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }), fc.constant('T'.repeat(8192)));
  const answerSheet = fc
    .subarray(questions)
    .chain((asked) =>
      fc.tuple(
        ...asked.map((question) =>
          fc.constantFrom(...Object.keys(question.Choices)).map((choice) => [question.QuestionId, choice] as const),
        ),
      ),
    )
    .map((pairs) => Object.fromEntries(pairs));

  test('the bank fits the model with room to spare: fewer than 100 questions, short ids and choice keys', () => {
    expect(questions.length).toBeLessThan(100);
    expect(questions.length).toBeGreaterThanOrEqual(9);
    for (const question of questions) {
      expect(question.QuestionId.length).toBeLessThanOrEqual(64);
      for (const choice of Object.keys(question.Choices)) expect(choice.length).toBeLessThanOrEqual(16);
    }
  });

  test('every submission the function accepts passes the model', () => {
    fc.assert(
      fc.property(
        id,
        id,
        token,
        answerSheet,
        fc.constantFrom('application/json', 'text/plain'),
        (incidentId, examId, taskToken, answers, contentType) => {
          // What the function itself checks first (functions/submit-exam/app.ts): the generators stay within it.
          expect(identifier(128).safeParse(incidentId).success && identifier(128).safeParse(examId).success).toBe(true);
          expect(
            accepts({ IncidentId: incidentId, ExamId: examId, TaskToken: taskToken, Answers: answers }, contentType),
          ).toBeUndefined();
        },
      ),
      runs(200),
    );
  });
});
