import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadRestApis } from '../../local/apigw/load-apis';
import { RouteTable } from '../../local/apigw/routes';
import { startApiGateway, type ApiGatewayServer } from '../../local/apigw/server';
import { DEFAULT_TEMPLATE, loadTemplate } from '../../local/template/load';
import { FakeLambda, FakeStepFunctions } from './fakes';

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

describe('every contract route resolves to its integration', () => {
  const routes = new RouteTable(loadRestApis(template, REGION));
  test.each([
    ['POST', '/reservations', 'aws', 'StartSyncExecution', true],
    ['GET', '/reservations/R-1', 'aws_proxy', fn('GetReservationFunction'), true],
    ['POST', '/incident', 'aws', 'StartExecution', true],
    ['GET', '/incidents', 'aws_proxy', fn('ListIncidentsFunction'), true],
    ['GET', '/incidents/I-1', 'aws_proxy', fn('GetIncidentFunction'), true],
    ['POST', '/exam', 'aws_proxy', fn('SubmitExamFunction'), false],
    ['GET', '/exam/questions', 'aws_proxy', fn('GetExamQuestionsFunction'), false],
  ])('%s %s → %s %s (API key %s)', (method, url, type, target, apiKeyRequired) => {
    const match = routes.match(method, url);
    expect(match).toBeDefined();
    expect(match!.method.integration.type).toBe(type);
    expect(match!.method.integration.target).toBe(target);
    expect(match!.method.apiKeyRequired).toBe(apiKeyRequired);
  });

  test('every route answers a CORS preflight without a key', () => {
    for (const url of ['/reservations', '/reservations/R-1', '/incident', '/incidents', '/incidents/I-1', '/exam', '/exam/questions']) {
      const match = routes.match('OPTIONS', url);
      expect(match?.method.integration.type).toBe('mock');
      expect(match?.method.apiKeyRequired).toBe(false);
    }
  });
});

describe('the template\'s mapping templates', () => {
  let sfn: FakeStepFunctions;
  let gateway: ApiGatewayServer;
  let webRoot: string;
  const lambda = new FakeLambda({});

  beforeAll(async () => {
    sfn = new FakeStepFunctions();
    await sfn.start();
    webRoot = mkdtempSync(path.join(tmpdir(), 'apigw-real-'));
    gateway = await startApiGateway({ port: 0, template, lambda, sfnEndpoint: sfn.url, apiKey: KEY, webRoot, region: REGION, log: () => {} });
  });
  afterAll(async () => {
    await gateway?.close();
    await sfn?.stop();
    rmSync(webRoot, { recursive: true, force: true });
  });

  const post = async (url: string, body: unknown, key: string | null = KEY) => {
    const response = await fetch(`${gateway.url}${url}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: await response.json(), headers: response.headers };
  };

  const incident = { StudentId: 's-1', StudentName: "Ann O'Neil", StudentEmail: 'ann@example.com', IncidentDate: '2026-01-15' };

  test('POST /incident starts the plagiarism workflow named by the request id and answers {IncidentId, executionArn, startDate}', async () => {
    sfn.reply(200, { executionArn: `${sm('PlagiarismStateMachine').replace('stateMachine', 'execution')}:x`, startDate: 1.7e9 });
    const before = Date.now();
    const response = await post('/incident', incident);
    expect(response.status).toBe(200);
    const sent = sfn.calls.at(-1)!;
    expect(sent.target).toBe('AWSStepFunctions.StartExecution');
    expect(sent.body.stateMachineArn).toBe(sm('PlagiarismStateMachine'));
    expect(JSON.parse(sent.body.input)).toEqual({ IncidentId: sent.body.name, ...incident });
    expect(response.json.IncidentId).toBe(sent.body.name);
    expect(response.json.executionArn).toMatch(/:execution:PlagiarismStateMachine:x$/);
    const started = Date.parse(response.json.startDate);
    expect(response.json.startDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(started).toBeGreaterThanOrEqual(before - 1000);
    expect(started).toBeLessThanOrEqual(Date.now());
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  test('POST /incident: an invalid body is 400 ValidationError; no key is 403', async () => {
    const invalid = await post('/incident', { ...incident, StudentEmail: 'not-an-email' });
    expect(invalid).toMatchObject({ status: 400, json: { error: 'ValidationError', message: 'Invalid request body' } });
    expect((await post('/incident', incident, null)).status).toBe(403);
  });

  test.each([
    ['SUCCEEDED', { status: 'SUCCEEDED', output: '{"TransactionType":"Reserve","Status":"CONFIRMED"}' }, 200, { TransactionType: 'Reserve', Status: 'CONFIRMED' }],
    [
      'RoomUnavailable',
      { status: 'FAILED', error: 'RoomUnavailable', cause: JSON.stringify({ errorType: 'RoomUnavailable', errorMessage: "No SUITE room is free for the guest's stay", trace: [] }) },
      409,
      { error: 'RoomUnavailable', message: "No SUITE room is free for the guest's stay" },
    ],
    [
      'ValidationError',
      { status: 'FAILED', error: 'ValidationError', cause: JSON.stringify({ errorType: 'ValidationError', errorMessage: 'CheckIn must be a date', trace: [] }) },
      400,
      { error: 'ValidationError', message: 'CheckIn must be a date' },
    ],
    [
      'ReservationNotFound',
      { status: 'FAILED', error: 'ReservationNotFound', cause: JSON.stringify({ errorType: 'ReservationNotFound', errorMessage: 'No reservation R-9', trace: [] }) },
      404,
      { error: 'ReservationNotFound', message: 'No reservation R-9' },
    ],
    ['UnknownTransactionType', { status: 'FAILED', error: 'UnknownTransactionType', cause: 'TransactionType must be Reserve or Cancel' }, 400, { error: 'UnknownTransactionType', message: 'TransactionType must be Reserve or Cancel' }],
    ['another failure', { status: 'FAILED', error: 'States.Runtime', cause: 'boom' }, 500, { error: 'InternalServerError', message: 'The reservation could not be processed.' }],
  ])('POST /reservations, execution %s', async (_case, reply, status, body) => {
    sfn.reply(200, reply);
    const response = await post('/reservations', { TransactionType: 'Reserve', GuestName: 'Ann' });
    expect(sfn.calls.at(-1)).toMatchObject({
      target: 'AWSStepFunctions.StartSyncExecution',
      body: { stateMachineArn: sm('CallCentreStateMachine'), input: JSON.stringify({ TransactionType: 'Reserve', GuestName: 'Ann' }) },
    });
    expect(response.status).toBe(status);
    expect(response.json).toEqual(body);
  });

  test('POST /reservations when Step Functions refuses the call is 500 with the template\'s error body', async () => {
    sfn.reply(400, { __type: 'StateMachineDoesNotExist', message: 'no such state machine' });
    expect(await post('/reservations', { TransactionType: 'Reserve' })).toMatchObject({
      status: 500,
      json: { error: 'InternalServerError', message: 'The reservation workflow could not be started.' },
    });
  });
});
