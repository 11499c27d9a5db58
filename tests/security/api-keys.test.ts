/**
 * Which routes of template.yaml need a signed-in member of staff (docs/security.md, section 3), and that an API key
 * grants nothing: every route takes the staff user pool's Cognito authorizer except the student's two (POST /exam,
 * GET /exam/questions), the CORS preflights and the static pages; no route takes an API key; and the local API
 * Gateway refuses every staff route without a token (an x-api-key header, old local key included, changes nothing)
 * before any integration runs. Which token gets what: tests/security/staff-sign-in.test.ts.
 */
import { rmSync } from 'node:fs';
import { loadRestApis } from '../../local/apigw/load-apis';
import { RouteTable } from '../../local/apigw/routes';
import { startApiGateway, type ApiGatewayServer } from '../../local/apigw/server';
import { loadTemplate } from '../../local/template/load';
import { FakeLambda, FakeStepFunctions } from '../apigw/fakes';
import { startTestUserPool, type TestUserPool } from '../apigw/support/test-user-pool';
import { stubWebRoot } from './support/stub-web-root';

const REGION = 'us-east-1';
const KEY = 'local-dev-key';
const template = loadTemplate();
const methods = new RouteTable(loadRestApis(template, REGION)).all();
const route = (method: { httpMethod: string; resourcePath: string }) => `${method.httpMethod} ${method.resourcePath}`;

/** A request URL for a resource path (`{ReservationId}` → a sample value). */
const sampleUrl = (resourcePath: string) => resourcePath.replace(/\{[^}]+\}/g, 'sample-1');

describe('the template: which routes need sign-in', () => {
  test('the API defines the routes this review covers (so the checks below are not vacuous)', () => {
    expect(
      methods
        .filter((method) => method.httpMethod !== 'OPTIONS')
        .map(route)
        .sort(),
    ).toEqual([
      'GET /exam/questions',
      'GET /incidents',
      'GET /incidents/{IncidentId}',
      'GET /incidents/{IncidentId}/workflow',
      'GET /reservations/{ReservationId}',
      'POST /exam',
      'POST /incident',
      'POST /incidents/{IncidentId}/redrive',
      'POST /reservations',
    ]);
  });

  test('only POST /exam, GET /exam/questions and the CORS preflights are open; no route takes an API key', () => {
    expect(methods.filter((method) => method.apiKeyRequired).map(route)).toEqual([]);
    const open = methods.filter((method) => !method.authorizer && method.httpMethod !== 'OPTIONS').map(route);
    expect(open.sort()).toEqual(['GET /exam/questions', 'POST /exam']);
    for (const method of methods.filter((candidate) => candidate.authorizer))
      expect({ route: route(method), authorizer: method.authorizer }).toEqual({
        route: route(method),
        authorizer: { name: 'staff', header: 'authorization', userPools: ['StaffUserPool'] },
      });
    // A preflight is a mock integration: it answers CORS headers and reaches nothing. One per resource.
    const preflights = methods.filter((candidate) => candidate.httpMethod === 'OPTIONS');
    expect(preflights.map((method) => method.resourcePath).sort()).toEqual(
      [
        '/exam',
        '/exam/questions',
        '/incident',
        '/incidents',
        '/incidents/{IncidentId}',
        '/incidents/{IncidentId}/redrive',
        '/incidents/{IncidentId}/workflow',
        '/reservations',
        '/reservations/{ReservationId}',
      ].sort(),
    );
    for (const method of preflights) {
      expect({ route: route(method), type: method.integration.type }).toEqual({ route: route(method), type: 'mock' });
    }
  });

  test("the OpenAPI body says so itself: one scheme, the staff pool's Cognito authorizer, with no API-wide default", () => {
    const body = template.Resources.Api.Properties!.DefinitionBody as any;
    expect(body.components.securitySchemes).toEqual({
      staff: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authtype': 'cognito_user_pools',
        'x-amazon-apigateway-authorizer': {
          type: 'cognito_user_pools',
          providerARNs: [{ 'Fn::GetAtt': ['StaffUserPool', 'Arn'] }],
        },
      },
    });
    expect(body['x-amazon-apigateway-api-key-source']).toBeUndefined();
    expect(body.security).toBeUndefined();
    const checked: string[] = [];
    for (const [resourcePath, item] of Object.entries(body.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(item)) {
        if (method === 'options' || method === 'parameters' || method.startsWith('x-')) continue;
        const signedIn = (operation.security ?? []).some((requirement: object) => 'staff' in requirement);
        const name = `${method.toUpperCase()} ${resourcePath}`;
        expect({ name, signedIn }).toEqual({ name, signedIn: !['POST /exam', 'GET /exam/questions'].includes(name) });
        checked.push(name);
      }
    }
    // Every route of the API was among them (the body's paths are not empty or elsewhere).
    expect(checked.sort()).toEqual(
      methods
        .filter((method) => method.httpMethod !== 'OPTIONS')
        .map(route)
        .sort(),
    );
    expect(checked).toHaveLength(9);
  });

  test('no function adds routes outside the OpenAPI body (SAM Api events)', () => {
    const functionsWithApiEvents = Object.entries(template.Resources).filter(([, resource]) =>
      Object.values(((resource.Properties ?? {}) as { Events?: Record<string, { Type?: string }> }).Events ?? {}).some(
        (event) => event.Type === 'Api',
      ),
    );
    expect(functionsWithApiEvents).toEqual([]);
  });
});

describe('the local API Gateway: sign-in in force, the API key grants nothing', () => {
  let sfn: FakeStepFunctions;
  let gateway: ApiGatewayServer;
  let webRoot: string;
  let staff: TestUserPool;
  const reached = { status: 'the integration ran' };
  const lambda = new FakeLambda(
    Object.fromEntries(
      [
        'GetReservationFunction',
        'ListIncidentsFunction',
        'GetIncidentFunction',
        'SubmitExamFunction',
        'GetExamQuestionsFunction',
      ].map((name) => [name, () => ({ statusCode: 200, body: JSON.stringify(reached) })]),
    ),
  );

  beforeAll(async () => {
    sfn = new FakeStepFunctions();
    await sfn.start();
    webRoot = stubWebRoot('security-keys-');
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
      log: () => {},
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await sfn?.stop();
    await staff?.stop();
    rmSync(webRoot, { recursive: true, force: true });
  });

  // A body POST /exam's model accepts (the token is checked before any body, so the staff routes refuse it all the same).
  const examSubmission = JSON.stringify({
    IncidentId: 'incident-1',
    ExamId: 'exam-1',
    TaskToken: 'token',
    Answers: {},
  });
  const send = (method: string, url: string, key?: string) =>
    fetch(`${gateway.url}${url}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(key === undefined ? {} : { 'x-api-key': key }) },
      body: method === 'POST' ? examSubmission : undefined,
    });

  const staffRoutes = methods.filter((method) => method.authorizer);
  test.each(
    staffRoutes.flatMap((method) => [undefined, '', 'wrong-key', KEY].map((key) => [route(method), key] as const)),
  )('%s with x-api-key %j and no token: 401 Unauthorized, and nothing behind it runs', async (name, key) => {
    const [method, resourcePath] = name.split(' ');
    const response = await send(method, sampleUrl(resourcePath), key);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'Unauthorized', message: 'Unauthorized' });
    expect(lambda.calls).toEqual([]);
    expect(sfn.calls).toEqual([]);
  });

  test.each(['GET /exam/questions', 'POST /exam'])('%s runs without signing in', async (name) => {
    const [method, url] = name.split(' ');
    const response = await send(method, url);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(reached);
  });

  test.each(['/', '/admin/', '/testcentre/', '/callcenter/', '/styles.css', '/config.js'])(
    'the static file %s is served without signing in',
    async (url) => {
      expect((await send('GET', url)).status).toBe(200);
    },
  );
});
