/**
 * An OpenAPI document in a file of its own, included as the Api's DefinitionBody with AWS::Include (as template.yaml
 * includes api/openapi.yaml): loadTemplate inlines it, and the emulator serves its routes with their mapping templates.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApiGateway, type ApiGatewayServer } from '../../local/apigw/server';
import { loadTemplate } from '../../local/template/load';
import { FakeLambda } from './fakes';

let folder: string;
let gateway: ApiGatewayServer;

beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'apigw-include-'));
  mkdirSync(path.join(folder, 'api'));
  mkdirSync(path.join(folder, 'web'));
  writeFileSync(
    path.join(folder, 'template.yaml'),
    `
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
      DefinitionBody:
        Fn::Transform:
          Name: AWS::Include
          Parameters:
            Location: api/openapi.yaml
`,
  );
  writeFileSync(
    path.join(folder, 'api', 'openapi.yaml'),
    `
openapi: 3.0.1
info: {title: included, version: '1'}
paths:
  /greeting:
    get:
      responses:
        '200': {description: a greeting}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates:
          application/json: '{"statusCode": 200}'
        responses:
          default:
            statusCode: '200'
            responseTemplates:
              application/json: '{"greeting": "hello from the included file", "path": "$context.resourcePath"}'
`,
  );
  gateway = await startApiGateway({
    port: 0,
    template: loadTemplate(path.join(folder, 'template.yaml')),
    lambda: new FakeLambda({}),
    sfnEndpoint: 'http://127.0.0.1:9',
    apiKey: 'key',
    webRoot: path.join(folder, 'web'),
    region: 'us-east-1',
    log: () => {},
  });
});

afterAll(async () => {
  await gateway?.close();
  rmSync(folder, { recursive: true, force: true });
});

test('a DefinitionBody included with AWS::Include is inlined and its routes are served', async () => {
  const response = await fetch(`${gateway.url}/greeting`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ greeting: 'hello from the included file', path: '/greeting' });
});
