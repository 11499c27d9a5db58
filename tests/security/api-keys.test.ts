/**
 * Which routes of template.yaml need the API key (docs/security.md, section 3): every route needs x-api-key except the
 * student's two (POST /exam, GET /exam/questions), the CORS preflights and the static pages; and the local API
 * Gateway refuses every keyed route without the key, or with a wrong one, before any integration runs.
 */
import { rmSync } from 'node:fs';
import { loadRestApis } from '../../local/apigw/load-apis';
import { RouteTable } from '../../local/apigw/routes';
import { startApiGateway, type ApiGatewayServer } from '../../local/apigw/server';
import { loadTemplate } from '../../local/template/load';
import { FakeLambda, FakeStepFunctions } from '../apigw/fakes';
import { stubWebRoot } from './support/stub-web-root';

const REGION = 'us-east-1';
const KEY = 'local-dev-key';
const template = loadTemplate();
const methods = new RouteTable(loadRestApis(template, REGION)).all();
const route = (method: { httpMethod: string; resourcePath: string }) => `${method.httpMethod} ${method.resourcePath}`;

/** A request URL for a resource path (`{ReservationId}` → a sample value). */
const sampleUrl = (resourcePath: string) => resourcePath.replace(/\{[^}]+\}/g, 'sample-1');

describe('the template: which routes need x-api-key', () => {
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
      'GET /reservations/{ReservationId}',
      'POST /exam',
      'POST /incident',
      'POST /reservations',
    ]);
  });

  test('only POST /exam, GET /exam/questions and the CORS preflights are keyless', () => {
    const keyless = methods.filter((method) => !method.apiKeyRequired && method.httpMethod !== 'OPTIONS').map(route);
    expect(keyless.sort()).toEqual(['GET /exam/questions', 'POST /exam']);
    // A preflight is a mock integration: it answers CORS headers and reaches nothing. One per resource.
    const preflights = methods.filter((candidate) => candidate.httpMethod === 'OPTIONS');
    expect(preflights.map((method) => method.resourcePath).sort()).toEqual(
      [
        '/exam',
        '/exam/questions',
        '/incident',
        '/incidents',
        '/incidents/{IncidentId}',
        '/reservations',
        '/reservations/{ReservationId}',
      ].sort(),
    );
    for (const method of preflights) {
      expect({ route: route(method), type: method.integration.type }).toEqual({ route: route(method), type: 'mock' });
    }
  });

  test('the OpenAPI body says so itself: api_key is a header named x-api-key, with no API-wide default', () => {
    const body = template.Resources.Api.Properties!.DefinitionBody as any;
    expect(body.components.securitySchemes.api_key).toEqual({ type: 'apiKey', name: 'x-api-key', in: 'header' });
    expect(body['x-amazon-apigateway-api-key-source']).toBe('HEADER');
    expect(body.security).toBeUndefined();
    const checked: string[] = [];
    for (const [resourcePath, item] of Object.entries(body.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(item)) {
        if (method === 'options' || method === 'parameters' || method.startsWith('x-')) continue;
        const keyed = (operation.security ?? []).some((requirement: object) => 'api_key' in requirement);
        const name = `${method.toUpperCase()} ${resourcePath}`;
        expect({ name, keyed }).toEqual({ name, keyed: !['POST /exam', 'GET /exam/questions'].includes(name) });
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
    expect(checked).toHaveLength(7);
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

describe('the local API Gateway enforces the key', () => {
  let sfn: FakeStepFunctions;
  let gateway: ApiGatewayServer;
  let webRoot: string;
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
    gateway = await startApiGateway({
      port: 0,
      template,
      lambda,
      sfnEndpoint: sfn.url,
      apiKey: KEY,
      webRoot,
      region: REGION,
      log: () => {},
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await sfn?.stop();
    rmSync(webRoot, { recursive: true, force: true });
  });

  // A body POST /exam's model accepts (the key is checked before any body, so the keyed routes refuse it all the same).
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

  const keyed = methods.filter((method) => method.apiKeyRequired);
  test.each(
    keyed.flatMap((method) =>
      [undefined, '', 'wrong-key', KEY.toUpperCase()].map((key) => [route(method), key] as const),
    ),
  )('%s with x-api-key %j: 403 Forbidden, and nothing behind it runs', async (name, key) => {
    const [method, resourcePath] = name.split(' ');
    const response = await send(method, sampleUrl(resourcePath), key);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Forbidden' });
    expect(lambda.calls).toEqual([]);
    expect(sfn.calls).toEqual([]);
  });

  test.each(['GET /exam/questions', 'POST /exam'])('%s runs without a key', async (name) => {
    const [method, url] = name.split(' ');
    const response = await send(method, url);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(reached);
  });

  test.each(['/', '/admin/', '/testcentre/', '/callcenter/', '/styles.css', '/config.js'])(
    'the static file %s is served without a key',
    async (url) => {
      expect((await send('GET', url)).status).toBe(200);
    },
  );
});
