/**
 * Regressions found by the generated hostile-input tests (tests/hostile), in the API's definition.
 *
 * POST /reservations answered a body over Step Functions' 256 KB input limit with 500 InternalServerError (the
 * integration mapped every error of StartSyncExecution to 500): it is the caller's request, so 400 ValidationError.
 * Step Functions answers every client error with HTTP 400, so the mapping tells them apart by the error's type.
 *
 * POST /incident's request model let
 * through impossible dates (2026-02-30, 2026-02-29) and names with NUL, other controls or lone surrogates, which
 * the workflow then stored and SendExamNotificationFunction refused after the 200. The model is checked here as
 * both validators run it: ajv draft-04 with Unicode regexes (the local emulator) and plain ECMAScript 5 regexes
 * (API Gateway's java-json-tools).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import { startApiGateway, type ApiGatewayServer } from '../../local/apigw/server';
import { loadTemplate } from '../../local/template/load';
import { FakeLambda, FakeStepFunctions } from '../apigw/fakes';
import { startTestUserPool, type TestUserPool } from '../apigw/support/test-user-pool';

const api = loadTemplate().Resources.Api.Properties as {
  DefinitionBody: { components: { schemas: Record<string, any> } };
};
const model = api.DefinitionBody.components.schemas.IncidentRequest;
const validate = new Ajv({ strict: false }).compile(model);

const valid = {
  StudentId: 'S-1',
  StudentName: 'Zoë Ångström 😀 שלום',
  StudentEmail: 'zoe@example.edu',
  IncidentDate: '2024-02-29',
  Description: 'Copied two paragraphs.\r\nSecond line,\tindented.',
};

/** The pattern as API Gateway runs it: an ECMAScript 5 regex, without the u flag. */
const es5 = (field: string) => new RegExp(model.properties[field].pattern);

describe('the POST /incident request model', () => {
  it('accepts a valid incident with accents, emoji, right-to-left text and a multi-line description', () => {
    expect(validate(valid)).toBe(true);
    for (const field of ['StudentId', 'StudentName', 'IncidentDate', 'Description']) {
      expect(es5(field).test(valid[field as keyof typeof valid])).toBe(true);
    }
  });

  it.each([
    '2026-02-30',
    '2026-02-29',
    '2100-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-2-3',
    '2026-02-03T00:00:00Z',
  ])('refuses the IncidentDate %s', (date) => {
    expect(validate({ ...valid, IncidentDate: date })).toBe(false);
    expect(es5('IncidentDate').test(date)).toBe(false);
  });

  it.each(['2024-02-29', '2000-02-29', '2026-12-31', '2026-04-30', '2026-02-28'])(
    'accepts the IncidentDate %s',
    (date) => {
      expect(validate({ ...valid, IncidentDate: date })).toBe(true);
      expect(es5('IncidentDate').test(date)).toBe(true);
    },
  );

  it.each([
    ['a lone surrogate', 'Ada \ud800'],
    ['NUL', 'Ada\u0000'],
    ['an escape sequence', 'Ada\u001b[31m'],
    ['a C1 control', 'Ada\u0085'],
  ])('refuses a StudentName or StudentId with %s', (_case, text) => {
    expect(validate({ ...valid, StudentName: text })).toBe(false);
    expect(validate({ ...valid, StudentId: text })).toBe(false);
    expect(es5('StudentName').test(text)).toBe(false);
    expect(es5('StudentId').test(text)).toBe(false);
  });

  it.each([
    ['a line break', 'Ada\r\nLovelace'],
    ['a tab', 'Ada\tL'],
  ])('accepts a StudentName with %s, as the functions do, but no StudentId', (_case, text) => {
    expect(validate({ ...valid, StudentName: text })).toBe(true);
    expect(es5('StudentName').test(text)).toBe(true);
    expect(validate({ ...valid, StudentId: text })).toBe(false);
    expect(es5('StudentId').test(text)).toBe(false);
  });

  it.each([
    ['a lone surrogate', 'text \udc00'],
    ['NUL', 'text\u0000'],
    ['an escape sequence', 'text\u001b[31m'],
  ])('refuses a Description with %s', (_case, text) => {
    expect(validate({ ...valid, Description: text })).toBe(false);
    expect(es5('Description').test(text)).toBe(false);
  });
});

describe('POST /reservations when Step Functions refuses the start', () => {
  let sfn: FakeStepFunctions;
  let gateway: ApiGatewayServer;
  let webRoot: string;
  let staff: TestUserPool;

  beforeAll(async () => {
    sfn = new FakeStepFunctions();
    await sfn.start();
    webRoot = mkdtempSync(path.join(tmpdir(), 'api-input-refusals-'));
    staff = await startTestUserPool();
    gateway = await startApiGateway({
      port: 0,
      template: loadTemplate(),
      lambda: new FakeLambda({}),
      sfnEndpoint: sfn.url,
      apiKey: 'key',
      userPools: [staff.pool],
      webRoot,
      region: 'us-east-1',
      log: () => {},
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await sfn?.stop();
    await staff?.stop();
    rmSync(webRoot, { recursive: true, force: true });
  });

  const reserve = async () => {
    const response = await fetch(`${gateway.url}/reservations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(await staff.authorization('agents')) },
      body: JSON.stringify({ TransactionType: 'Reserve', GuestName: 'x'.repeat(300_000) }),
    });
    return { status: response.status, body: await response.json() };
  };

  it.each([
    [
      'ValidationException',
      {
        __type: 'ValidationException',
        message:
          "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144",
      },
    ],
    [
      'a namespaced ValidationException',
      { __type: 'com.amazonaws.swf.service.v2.model#ValidationException', message: 'too long' },
    ],
    ['InvalidExecutionInput', { __type: 'InvalidExecutionInput', message: 'Invalid State Machine Execution Input' }],
  ])('answers %s (the input: over 256 KB) with 400 ValidationError', async (_case, error) => {
    sfn.reply(400, error);
    expect(await reserve()).toEqual({
      status: 400,
      body: { error: 'ValidationError', message: expect.stringContaining('256 KB') },
    });
  });

  it.each([
    [400, { __type: 'StateMachineDoesNotExist', message: 'no such state machine' }],
    [400, { __type: 'AccessDeniedException', message: 'not allowed' }],
    [500, { __type: 'InternalServerError', message: 'oops' }],
  ])('answers %i %j (our failure) with 500 InternalServerError', async (status, error) => {
    sfn.reply(status, error);
    expect(await reserve()).toEqual({
      status: 500,
      body: { error: 'InternalServerError', message: 'The reservation workflow could not be started.' },
    });
  });
});
