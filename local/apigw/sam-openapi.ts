import type { Template, TemplateResource } from '../template/load';
import { ApiDefinitionError } from './model';

/**
 * What the SAM transform does to an `AWS::Serverless::Api` before API Gateway sees it, reproduced so the
 * emulator serves what `sam deploy` would: it starts from the DefinitionBody (or an empty document), merges
 * the functions' and state machines' `Api` events into it (aws_proxy integrations, StartExecution
 * integrations, per-method ApiKeyRequired, RequestModel, RequestParameters), then applies the API's `Cors`
 * (mock OPTIONS methods), `Auth.ApiKeyRequired`, `GatewayResponses`, `Models` and `BinaryMediaTypes`.
 * The result is still raw template data: intrinsics are resolved afterwards. Written by hand because the
 * SAM translator is a Python program with no JavaScript port.
 */

export interface SamApi {
  logicalId: string;
  properties: Record<string, any>;
  document: Record<string, any>;
}

/** The logical id SAM gives the implicit API built from events without a RestApiId. */
export const IMPLICIT_API_ID = 'ServerlessRestApi';

const ANY_METHOD = 'x-amazon-apigateway-any-method';
const INTEGRATION = 'x-amazon-apigateway-integration';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', ANY_METHOD];

const clone = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

/** `Ref: X`, `!Ref X` or the plain name `X` of the API an event names. */
function referencedApi(restApiId: unknown): string | undefined {
  if (restApiId === undefined) return IMPLICIT_API_ID;
  if (typeof restApiId === 'string') return restApiId;
  if (restApiId && typeof restApiId === 'object' && typeof (restApiId as { Ref?: unknown }).Ref === 'string') {
    return (restApiId as { Ref: string }).Ref;
  }
  return undefined;
}

function methodKey(method: unknown, where: string): string {
  if (typeof method !== 'string' || method === '') throw new ApiDefinitionError(`${where}: Method must be a string`);
  const lower = method.toLowerCase();
  const key = lower === 'any' ? ANY_METHOD : lower;
  if (!HTTP_METHODS.includes(key))
    throw new ApiDefinitionError(`${where}: ${method} is not an HTTP method API Gateway knows`);
  return key;
}

class OpenApiEditor {
  readonly doc: Record<string, any>;
  readonly isOpenApi3: boolean;

  constructor(
    doc: Record<string, any>,
    private readonly apiId: string,
  ) {
    this.doc = doc;
    this.doc.paths ??= {};
    this.isOpenApi3 = typeof doc.openapi === 'string' && doc.openapi.startsWith('3');
  }

  method(path: string, method: string): Record<string, any> {
    if (typeof path !== 'string' || !path.startsWith('/'))
      throw new ApiDefinitionError(`${this.apiId}: path ${JSON.stringify(path)} must start with /`);
    const pathItem = (this.doc.paths[path] ??= {});
    return (pathItem[method] ??= {});
  }

  addIntegration(
    path: string,
    method: string,
    integration: Record<string, unknown>,
    where: string,
    responses?: Record<string, unknown>,
  ) {
    const operation = this.method(path, method);
    if (operation[INTEGRATION]) {
      throw new ApiDefinitionError(
        `${where}: API method "${method}" defined multiple times for path "${path}" of ${this.apiId}`,
      );
    }
    operation[INTEGRATION] = integration;
    operation.responses ??= responses ?? {};
  }

  addSecurity(path: string, method: string, requirement: Record<string, unknown[]>) {
    const operation = this.method(path, method);
    operation.security = [...(operation.security ?? []), requirement];
  }

  securitySchemes(): Record<string, any> {
    if (this.isOpenApi3) {
      this.doc.components ??= {};
      return (this.doc.components.securitySchemes ??= {});
    }
    return (this.doc.securityDefinitions ??= {});
  }

  addApiKeyScheme() {
    const schemes = this.securitySchemes();
    schemes.api_key ??= { type: 'apiKey', name: 'x-api-key', in: 'header' };
  }

  models(): Record<string, any> {
    if (this.isOpenApi3) {
      this.doc.components ??= {};
      return (this.doc.components.schemas ??= {});
    }
    return (this.doc.definitions ??= {});
  }

  modelRef(name: string): string {
    return this.isOpenApi3 ? `#/components/schemas/${name}` : `#/definitions/${name}`;
  }

  operations(): Array<{ path: string; method: string; operation: Record<string, any> }> {
    const result = [];
    for (const [path, item] of Object.entries<Record<string, any>>(this.doc.paths)) {
      for (const [method, operation] of Object.entries<any>(item ?? {})) {
        if (HTTP_METHODS.includes(method) && operation && typeof operation === 'object')
          result.push({ path, method, operation });
      }
    }
    return result;
  }
}

/** SAM's names for the validators it creates from RequestModel/RequestParameters settings. */
function validatorName(body: boolean, parameters: boolean): string {
  if (body && parameters) return 'body-and-params';
  if (body) return 'body-only';
  if (parameters) return 'params-only';
  return 'no-validation';
}

function addValidator(editor: OpenApiEditor, path: string, method: string, body: boolean, parameters: boolean) {
  const name = validatorName(body, parameters);
  const validators = (editor.doc['x-amazon-apigateway-request-validators'] ??= {});
  validators[name] = { validateRequestBody: body, validateRequestParameters: parameters };
  editor.method(path, method)['x-amazon-apigateway-request-validator'] = name;
}

/** Function and state machine events: Auth.ApiKeyRequired, RequestModel, RequestParameters. */
function applyEventSettings(
  editor: OpenApiEditor,
  path: string,
  method: string,
  event: Record<string, any>,
  where: string,
) {
  const apiKeyRequired = event.Auth?.ApiKeyRequired;
  if (apiKeyRequired === true) {
    editor.addApiKeyScheme();
    editor.addSecurity(path, method, { api_key: [] });
  } else if (apiKeyRequired === false) {
    // SAM's marker that keeps the API-wide ApiKeyRequired default off this method.
    editor.addSecurity(path, method, { api_key_false: [] });
  }
  const operation = editor.method(path, method);
  const model = event.RequestModel;
  if (model) {
    if (typeof model.Model !== 'string')
      throw new ApiDefinitionError(`${where}: RequestModel.Model must name a model of the API`);
    const schema = { $ref: editor.modelRef(model.Model) };
    if (editor.isOpenApi3) {
      operation.requestBody = { content: { 'application/json': { schema } }, required: model.Required === true };
    } else {
      operation.parameters = [
        ...(operation.parameters ?? []),
        { in: 'body', name: model.Model.toLowerCase(), required: model.Required === true, schema },
      ];
    }
    if (model.ValidateBody !== undefined || model.ValidateParameters !== undefined) {
      addValidator(editor, path, method, model.ValidateBody === true, model.ValidateParameters === true);
    }
  }
  const parameters = event.RequestParameters;
  if (parameters !== undefined) {
    if (!Array.isArray(parameters)) throw new ApiDefinitionError(`${where}: RequestParameters must be a list`);
    for (const entry of parameters) {
      const [name, settings] = typeof entry === 'string' ? [entry, {}] : (Object.entries(entry ?? {})[0] ?? []);
      const match = typeof name === 'string' ? /^method\.request\.(header|querystring|path)\.(.+)$/.exec(name) : null;
      if (!match)
        throw new ApiDefinitionError(
          `${where}: RequestParameters entry ${JSON.stringify(entry)} is not method.request.{header|querystring|path}.<name>`,
        );
      const location = match[1] === 'querystring' ? 'query' : match[1];
      const parameter: Record<string, unknown> = {
        in: location,
        name: match[2],
        required: (settings as any)?.Required === true,
      };
      if (editor.isOpenApi3) parameter.schema = { type: 'string' };
      else parameter.type = 'string';
      operation.parameters = [...(operation.parameters ?? []), parameter];
    }
  }
}

/** A resource's `Api` event: its properties, its method key, and where it is written (for error messages). */
interface ApiEvent {
  logicalId: string;
  properties: Record<string, any>;
  method: string;
  where: string;
}

/** Every `Api` event that resources of `resourceType` declare on the API `apiId`, in template order. */
function* apiEvents(template: Template, apiId: string, resourceType: string): Generator<ApiEvent> {
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== resourceType) continue;
    for (const [eventId, event] of Object.entries<Record<string, any>>(resource.Properties?.Events ?? {})) {
      if (event?.Type !== 'Api') continue;
      const properties = event.Properties ?? {};
      if (referencedApi(properties.RestApiId) !== apiId) continue;
      const where = `${logicalId} event ${eventId}`;
      yield { logicalId, properties, method: methodKey(properties.Method, where), where };
    }
  }
}

function functionEvents(editor: OpenApiEditor, template: Template, apiId: string) {
  for (const { logicalId, properties, method, where } of apiEvents(template, apiId, 'AWS::Serverless::Function')) {
    const uri = {
      'Fn::Sub': `arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${logicalId}.Arn}/invocations`,
    };
    editor.addIntegration(properties.Path, method, { type: 'aws_proxy', httpMethod: 'POST', uri }, where);
    applyEventSettings(editor, properties.Path, method, properties, where);
  }
}

function stateMachineEvents(editor: OpenApiEditor, template: Template, apiId: string) {
  for (const { logicalId, properties, method, where } of apiEvents(template, apiId, 'AWS::Serverless::StateMachine')) {
    // SAM's own request template: the whole body becomes the execution input.
    const input = properties.UnescapeMappingTemplate
      ? `$util.escapeJavaScript($input.json('$')).replaceAll("\\\\'","'")`
      : `$util.escapeJavaScript($input.json('$'))`;
    const requestTemplate = { 'Fn::Sub': `{"input": "${input}", "stateMachineArn": "\${${logicalId}}"}` };
    editor.addIntegration(
      properties.Path,
      method,
      {
        type: 'aws',
        httpMethod: 'POST',
        uri: { 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}:states:action/StartExecution' },
        responses: { '200': { statusCode: '200' }, '400': { statusCode: '400' } },
        requestTemplates: { 'application/json': requestTemplate },
      },
      where,
      { '200': { description: 'OK' }, '400': { description: 'Bad Request' } },
    );
    applyEventSettings(editor, properties.Path, method, properties, where);
  }
}

/** SAM's `Cors`: a mock OPTIONS method answering the preflight on every path that has none. */
function applyCors(editor: OpenApiEditor, cors: unknown, apiId: string) {
  const settings: Record<string, unknown> =
    typeof cors === 'string' ? { AllowOrigin: cors } : (cors as Record<string, unknown>);
  if (!settings || typeof settings !== 'object' || settings.AllowOrigin === undefined) {
    throw new ApiDefinitionError(`${apiId}: Cors needs AllowOrigin (or be the origin string itself)`);
  }
  for (const item of Object.values<Record<string, any>>(editor.doc.paths)) {
    if (item.options) continue;
    let allowMethods = settings.AllowMethods;
    if (allowMethods === undefined) {
      const methods = Object.keys(item).filter((m) => HTTP_METHODS.includes(m));
      const all = methods.includes(ANY_METHOD)
        ? ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH']
        : [...methods, 'options'];
      allowMethods = `'${[...new Set(all.map((m) => m.toUpperCase()))].sort().join(',')}'`;
    }
    const header = (name: string) => `method.response.header.${name}`;
    const responseParameters: Record<string, unknown> = {
      [header('Access-Control-Allow-Origin')]: settings.AllowOrigin,
    };
    if (settings.AllowHeaders) responseParameters[header('Access-Control-Allow-Headers')] = settings.AllowHeaders;
    if (allowMethods) responseParameters[header('Access-Control-Allow-Methods')] = allowMethods;
    if (settings.MaxAge !== undefined) responseParameters[header('Access-Control-Max-Age')] = settings.MaxAge;
    if (settings.AllowCredentials === true) responseParameters[header('Access-Control-Allow-Credentials')] = "'true'";
    item.options = {
      summary: 'CORS support',
      [INTEGRATION]: {
        type: 'mock',
        requestTemplates: { 'application/json': '{\n  "statusCode" : 200\n}\n' },
        responses: {
          default: { statusCode: '200', responseParameters, responseTemplates: { 'application/json': '{}\n' } },
        },
      },
      responses: { '200': { description: 'Default response for CORS method' } },
    };
  }
}

/** SAM's API-wide `Auth.ApiKeyRequired`: every method with an integration needs the key unless it opted out. */
function applyDefaultApiKey(editor: OpenApiEditor, auth: Record<string, any>) {
  const toPreflight = auth.AddApiKeyRequiredToCorsPreflight !== false;
  editor.addApiKeyScheme();
  for (const { method, operation } of editor.operations()) {
    if (!operation[INTEGRATION] || (method === 'options' && !toPreflight)) continue;
    const security: Array<Record<string, unknown>> = operation.security ?? [];
    const optedOut = security.some((entry) => 'api_key_false' in entry);
    const others = security.filter((entry) => !('api_key' in entry) && !('api_key_false' in entry));
    operation.security = optedOut ? others : [...others, { api_key: [] }];
  }
}

function removeOptOutMarkers(editor: OpenApiEditor) {
  for (const { operation } of editor.operations()) {
    if (!operation.security) continue;
    operation.security = operation.security.filter((entry: Record<string, unknown>) => !('api_key_false' in entry));
  }
}

/** SAM's `GatewayResponses` (Headers/Paths/QueryStrings) as API Gateway's extension. */
function applyGatewayResponses(editor: OpenApiEditor, responses: Record<string, any>, apiId: string) {
  const target = (editor.doc['x-amazon-apigateway-gateway-responses'] ??= {});
  for (const [type, response] of Object.entries<Record<string, any>>(responses)) {
    const responseParameters: Record<string, unknown> = {};
    const locations: Record<string, string> = { Headers: 'header', Paths: 'path', QueryStrings: 'querystring' };
    for (const [group, values] of Object.entries<Record<string, unknown>>(response?.ResponseParameters ?? {})) {
      const location = locations[group];
      if (!location)
        throw new ApiDefinitionError(
          `${apiId}: GatewayResponses.${type}.ResponseParameters.${group} is not Headers, Paths or QueryStrings`,
        );
      for (const [name, value] of Object.entries(values ?? {}))
        responseParameters[`gatewayresponse.${location}.${name}`] = value;
    }
    target[type] = {
      ...(response?.StatusCode !== undefined ? { statusCode: response.StatusCode } : {}),
      responseParameters,
      responseTemplates: response?.ResponseTemplates ?? {},
    };
  }
}

function definitionBody(apiId: string, properties: Record<string, any>): Record<string, any> {
  if (properties.DefinitionUri !== undefined) {
    throw new ApiDefinitionError(
      `${apiId}: DefinitionUri is not read by the local emulator; put the OpenAPI document in DefinitionBody`,
    );
  }
  const body = properties.DefinitionBody;
  if (body === undefined) {
    const version =
      typeof properties.OpenApiVersion === 'string' && properties.OpenApiVersion.startsWith('3')
        ? properties.OpenApiVersion
        : undefined;
    return version
      ? { openapi: version, info: { title: apiId, version: '1.0' }, paths: {} }
      : { swagger: '2.0', info: { title: apiId, version: '1.0' }, paths: {} };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new ApiDefinitionError(`${apiId}: DefinitionBody must be an OpenAPI document (a mapping)`);
  if (typeof body.swagger !== 'string' && typeof body.openapi !== 'string') {
    throw new ApiDefinitionError(`${apiId}: DefinitionBody has neither a swagger nor an openapi version field`);
  }
  return clone(body);
}

function hasEventsFor(template: Template, apiId: string): boolean {
  return Object.values(template.Resources).some(
    (resource: TemplateResource) =>
      (resource.Type === 'AWS::Serverless::Function' || resource.Type === 'AWS::Serverless::StateMachine') &&
      Object.values<Record<string, any>>(resource.Properties?.Events ?? {}).some(
        (event) => event?.Type === 'Api' && referencedApi(event.Properties?.RestApiId) === apiId,
      ),
  );
}

/** Every REST API of the template (explicit `AWS::Serverless::Api`s and SAM's implicit one) as SAM deploys it. */
export function samOpenApiDocuments(template: Template): SamApi[] {
  const apis: Array<[string, Record<string, any>]> = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Serverless::Api')
    .map(([id, resource]) => [id, resource.Properties ?? {}]);
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::ApiGateway::RestApi') {
      throw new ApiDefinitionError(`${id}: AWS::ApiGateway::RestApi is not emulated locally; use AWS::Serverless::Api`);
    }
  }
  if (!apis.some(([id]) => id === IMPLICIT_API_ID) && hasEventsFor(template, IMPLICIT_API_ID)) {
    apis.push([IMPLICIT_API_ID, { StageName: 'Prod' }]);
  }
  return apis.map(([apiId, properties]) => {
    const editor = new OpenApiEditor(definitionBody(apiId, properties), apiId);
    functionEvents(editor, template, apiId);
    stateMachineEvents(editor, template, apiId);
    if (properties.Cors !== undefined) applyCors(editor, properties.Cors, apiId);
    const auth = properties.Auth ?? {};
    if (auth.Authorizers !== undefined || (auth.DefaultAuthorizer !== undefined && auth.DefaultAuthorizer !== 'NONE')) {
      throw new ApiDefinitionError(
        `${apiId}: Lambda, Cognito and IAM authorizers are not emulated locally (only API keys are)`,
      );
    }
    if (auth.ApiKeyRequired === true) applyDefaultApiKey(editor, auth);
    removeOptOutMarkers(editor);
    if (properties.GatewayResponses) applyGatewayResponses(editor, properties.GatewayResponses, apiId);
    if (properties.Models) Object.assign(editor.models(), clone(properties.Models));
    if (properties.BinaryMediaTypes) {
      editor.doc['x-amazon-apigateway-binary-media-types'] = JSON.parse(
        JSON.stringify(properties.BinaryMediaTypes).replace(/~1/g, '/'),
      );
    }
    return { logicalId: apiId, properties, document: editor.doc };
  });
}
