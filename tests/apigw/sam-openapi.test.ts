import { loadRestApis } from '../../local/apigw/load-apis';
import { ApiDefinitionError } from '../../local/apigw/model';
import { RouteTable } from '../../local/apigw/routes';
import { startApiGateway } from '../../local/apigw/server';
import { parseTemplate } from '../../local/template/load';
import { FakeLambda } from './fakes';

/** What the SAM transform makes of Api events and API settings, and the definitions the emulator refuses at start. */

const apisOf = (yaml: string) => loadRestApis(parseTemplate(yaml, 'test template'), 'us-east-1');
const find = (yaml: string, method: string, url: string) => new RouteTable(apisOf(yaml)).match(method, url)?.method;

const fn = (events: string) => `
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Events:
${events}`;

describe('SAM events and API settings', () => {
  test('events without RestApiId make the implicit ServerlessRestApi with stage Prod', () => {
    const apis = apisOf(`
Resources:${fn(`
        Get:
          Type: Api
          Properties: { Path: /things, Method: GET }`)}`);
    expect(apis.map((api) => [api.logicalId, api.stageName])).toEqual([['ServerlessRestApi', 'Prod']]);
    expect(apis[0].methods[0]).toMatchObject({ httpMethod: 'GET', resourcePath: '/things', apiKeyRequired: false });
    expect(apis[0].methods[0].integration).toMatchObject({
      type: 'aws_proxy',
      target: 'arn:aws:lambda:us-east-1:123456789012:function:Fn',
    });
  });

  test("a state machine Api event is SAM's StartExecution integration with its own request template", () => {
    const method = find(
      `
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties: { StageName: v1 }
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Events:
        Start:
          Type: Api
          Properties: { RestApiId: !Ref Api, Path: /start, Method: post, UnescapeMappingTemplate: true, Auth: { ApiKeyRequired: true } }`,
      'POST',
      '/start',
    )!;
    expect(method.integration).toMatchObject({ type: 'aws', service: 'states', target: 'StartExecution' });
    expect(method.integration.requestTemplates['application/json']).toBe(
      `{"input": "$util.escapeJavaScript($input.json('$')).replaceAll("\\\\'","'")", "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Machine"}`,
    );
    expect(method.integration.responses.map((r) => [r.selectionPattern, r.statusCode])).toEqual([
      ['200', '200'],
      ['400', '400'],
    ]);
    expect(method.apiKeyRequired).toBe(true);
  });

  test('API-wide ApiKeyRequired reaches DefinitionBody methods and preflights, unless a method opts out', () => {
    const yaml = `
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      Auth: { ApiKeyRequired: true }
      Cors: "'https://example.com'"
      DefinitionBody:
        swagger: '2.0'
        paths:
          /mocked:
            get:
              x-amazon-apigateway-integration: { type: mock, requestTemplates: { application/json: '{"statusCode": 200}' }, responses: { default: { statusCode: '200' } } }
${fn(`
        Open:
          Type: Api
          Properties: { RestApiId: !Ref Api, Path: /open, Method: get, Auth: { ApiKeyRequired: false } }`)}`;
    expect(find(yaml, 'GET', '/mocked')!.apiKeyRequired).toBe(true);
    expect(find(yaml, 'OPTIONS', '/mocked')!.apiKeyRequired).toBe(true);
    expect(find(yaml, 'GET', '/open')!.apiKeyRequired).toBe(false);
    const preflight = find(yaml, 'OPTIONS', '/open')!;
    expect(preflight.integration.responses[0].responseParameters).toEqual({
      'method.response.header.Access-Control-Allow-Origin': "'https://example.com'",
      'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS'",
    });
  });

  test("RequestParameters become required parameters with SAM's validator", () => {
    const method = find(
      `
Resources:${fn(`
        Get:
          Type: Api
          Properties:
            Path: /search
            Method: get
            RequestParameters: [method.request.header.X-Id, { method.request.querystring.q: { Required: true } }]
            RequestModel: { Model: Query, ValidateBody: false, ValidateParameters: true }`)}`.replace(
        'Resources:',
        `Resources:
  ServerlessRestApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      Models: { Query: { type: object } }`,
      ),
      'GET',
      '/search',
    )!;
    expect(method.validator).toEqual({ name: 'params-only', body: false, parameters: true });
    expect(method.requiredParameters).toEqual({ querystring: ['q'], header: [], path: [] });
  });
});

test("a sync-states URI (Step Functions' synchronous host) runs against the one local Step Functions endpoint", () => {
  const method = find(
    `Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      DefinitionBody: { openapi: 3.0.1, paths: { /x: { post: { x-amazon-apigateway-integration: { type: aws, uri: 'arn:aws:apigateway:us-east-1:sync-states:action/StartSyncExecution' } } } } }`,
    'POST',
    '/x',
  )!;
  expect(method.integration).toMatchObject({ service: 'states', target: 'StartSyncExecution' });
});

describe('definitions the emulator refuses at start, naming the problem', () => {
  test.each([
    [
      'a method defined twice',
      `
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      DefinitionBody:
        openapi: 3.0.1
        paths:
          /x: { get: { x-amazon-apigateway-integration: { type: mock } } }
${fn(`
        Get:
          Type: Api
          Properties: { RestApiId: !Ref Api, Path: /x, Method: get }`)}`,
      /API method "get" defined multiple times for path "\/x"/,
    ],
    [
      'DefinitionUri',
      `Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties: { StageName: v1, DefinitionUri: api.yaml }`,
      /DefinitionUri is not read/,
    ],
    [
      'an HTTP integration',
      `Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      DefinitionBody: { openapi: 3.0.1, paths: { /x: { get: { x-amazon-apigateway-integration: { type: http_proxy, uri: 'https://example.com' } } } } }`,
      /http_proxy integrations are not emulated/,
    ],
    [
      'an unknown validator',
      `Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      DefinitionBody: { openapi: 3.0.1, paths: { /x: { get: { x-amazon-apigateway-request-validator: all, x-amazon-apigateway-integration: { type: mock } } } } }`,
      /request validator all is not in x-amazon-apigateway-request-validators/,
    ],
    [
      'an authorizer',
      `Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties: { StageName: v1, Auth: { DefaultAuthorizer: Cognito, Authorizers: { Cognito: { UserPoolArn: x } } } }`,
      /authorizers are not emulated locally/,
    ],
    [
      'a reference to nothing',
      `Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      DefinitionBody: { openapi: 3.0.1, paths: { /x: { get: { x-amazon-apigateway-integration: { type: aws, uri: !Sub 'arn:aws:apigateway:\${AWS::Region}:states:action/StartExecution', requestTemplates: { application/json: !Sub '\${Missing}' } } } } } }`,
      /Api: .*Missing/,
    ],
  ])('%s', (_case, yaml, message) => {
    expect(() => apisOf(yaml)).toThrow(ApiDefinitionError);
    expect(() => apisOf(yaml)).toThrow(message);
  });

  test('a Lambda proxy to a function the template does not have', async () => {
    const template = parseTemplate(
      `Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      DefinitionBody: { openapi: 3.0.1, paths: { /x: { get: { x-amazon-apigateway-integration: { type: aws_proxy, uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:Ghost/invocations' } } } } }`,
    );
    await expect(
      startApiGateway({
        port: 0,
        template,
        lambda: new FakeLambda({}),
        sfnEndpoint: 'http://127.0.0.1:1',
        apiKey: 'k',
        webRoot: '/nonexistent',
        region: 'us-east-1',
        log: () => {},
      }),
    ).rejects.toThrow(/function:Ghost, which is no function of the template/);
  });
});
