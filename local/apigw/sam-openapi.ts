import { isMapping } from '../template/aws-rules/template-values';
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

/** Template data as written: what a member holds is checked where it is read. */
type Mapping = Record<string, unknown>;

/**
 * An OpenAPI document (Swagger 2 or OpenAPI 3) as written: `paths` is known to be a mapping (the editor makes sure),
 * every other member is checked where it is read (mappingAt).
 */
export interface OpenApiDocument {
  paths: Mapping;
  [member: string]: unknown;
}

/** A method of a path (`get`, `post`, ..., `x-amazon-apigateway-any-method`). */
type Operation = Mapping;

/** An entry of an operation's `security`: scheme name → scopes. */
type SecurityRequirement = Record<string, unknown[]>;

export interface SamApi {
  logicalId: string;
  properties: Mapping;
  document: OpenApiDocument;
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

/** A member of `parent` that is a mapping, added empty if it is not there yet; anything else there is refused. */
function mappingAt(parent: Mapping, key: string, where: string): Mapping {
  parent[key] ??= {};
  const value = parent[key];
  if (!isMapping(value)) throw new ApiDefinitionError(`${where} must be a mapping`);
  return value;
}

/** An operation's `security` list (none yet: empty). */
function securityOf(operation: Operation): SecurityRequirement[] {
  return Array.isArray(operation.security) ? operation.security : [];
}

class OpenApiEditor {
  readonly doc: OpenApiDocument;
  readonly isOpenApi3: boolean;

  constructor(
    doc: Mapping,
    readonly apiId: string,
  ) {
    doc.paths ??= {};
    if (!isMapping(doc.paths)) throw new ApiDefinitionError(`${apiId}: the OpenAPI document's paths must be a mapping`);
    this.doc = doc as OpenApiDocument;
    this.isOpenApi3 = typeof doc.openapi === 'string' && doc.openapi.startsWith('3');
  }

  method(path: unknown, method: string): Operation {
    if (typeof path !== 'string' || !path.startsWith('/'))
      throw new ApiDefinitionError(`${this.apiId}: path ${JSON.stringify(path)} must start with /`);
    const pathItem = mappingAt(this.doc.paths, path, `${this.apiId}: path ${path}`);
    return mappingAt(pathItem, method, `${this.apiId}: ${method} ${path}`);
  }

  addIntegration(
    path: unknown,
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

  addSecurity(path: unknown, method: string, requirement: SecurityRequirement) {
    const operation = this.method(path, method);
    operation.security = [...securityOf(operation), requirement];
  }

  securitySchemes(): Mapping {
    if (this.isOpenApi3) {
      const components = mappingAt(this.doc, 'components', `${this.apiId}: components`);
      return mappingAt(components, 'securitySchemes', `${this.apiId}: components.securitySchemes`);
    }
    return mappingAt(this.doc, 'securityDefinitions', `${this.apiId}: securityDefinitions`);
  }

  addApiKeyScheme() {
    const schemes = this.securitySchemes();
    schemes.api_key ??= { type: 'apiKey', name: 'x-api-key', in: 'header' };
  }

  models(): Mapping {
    if (this.isOpenApi3) {
      const components = mappingAt(this.doc, 'components', `${this.apiId}: components`);
      return mappingAt(components, 'schemas', `${this.apiId}: components.schemas`);
    }
    return mappingAt(this.doc, 'definitions', `${this.apiId}: definitions`);
  }

  modelRef(name: string): string {
    return this.isOpenApi3 ? `#/components/schemas/${name}` : `#/definitions/${name}`;
  }

  operations(): Array<{ path: string; method: string; operation: Operation }> {
    const result = [];
    for (const [path, item] of Object.entries(this.doc.paths)) {
      if (!isMapping(item)) continue;
      for (const [method, operation] of Object.entries(item)) {
        if (HTTP_METHODS.includes(method) && isMapping(operation)) result.push({ path, method, operation });
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

function addValidator(editor: OpenApiEditor, path: unknown, method: string, body: boolean, parameters: boolean) {
  const name = validatorName(body, parameters);
  const validators = mappingAt(
    editor.doc,
    'x-amazon-apigateway-request-validators',
    `${editor.apiId}: request validators`,
  );
  validators[name] = { validateRequestBody: body, validateRequestParameters: parameters };
  editor.method(path, method)['x-amazon-apigateway-request-validator'] = name;
}

/** An operation's `parameters` list (none yet: empty). */
function parametersOf(operation: Operation): unknown[] {
  return Array.isArray(operation.parameters) ? operation.parameters : [];
}

/** Function and state machine events: Auth.ApiKeyRequired, RequestModel, RequestParameters. */
function applyEventSettings(editor: OpenApiEditor, path: unknown, method: string, event: Mapping, where: string) {
  const apiKeyRequired = isMapping(event.Auth) ? event.Auth.ApiKeyRequired : undefined;
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
    if (!isMapping(model) || typeof model.Model !== 'string')
      throw new ApiDefinitionError(`${where}: RequestModel.Model must name a model of the API`);
    const schema = { $ref: editor.modelRef(model.Model) };
    if (editor.isOpenApi3) {
      operation.requestBody = { content: { 'application/json': { schema } }, required: model.Required === true };
    } else {
      operation.parameters = [
        ...parametersOf(operation),
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
        required: isMapping(settings) && settings.Required === true,
      };
      if (editor.isOpenApi3) parameter.schema = { type: 'string' };
      else parameter.type = 'string';
      operation.parameters = [...parametersOf(operation), parameter];
    }
  }
}

/** A resource's `Api` event: its properties, its method key, and where it is written (for error messages). */
interface ApiEvent {
  logicalId: string;
  properties: Mapping;
  method: string;
  where: string;
}

/** A resource's `Events` mapping (none: empty). */
function eventsOf(resource: TemplateResource): Mapping {
  const events = resource.Properties?.Events;
  return isMapping(events) ? events : {};
}

/** Every `Api` event that resources of `resourceType` declare on the API `apiId`, in template order. */
function* apiEvents(template: Template, apiId: string, resourceType: string): Generator<ApiEvent> {
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== resourceType) continue;
    for (const [eventId, event] of Object.entries(eventsOf(resource))) {
      if (!isMapping(event) || event.Type !== 'Api') continue;
      const properties = isMapping(event.Properties) ? event.Properties : {};
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
  for (const item of Object.values(editor.doc.paths)) {
    if (!isMapping(item) || item.options) continue;
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
function applyDefaultApiKey(editor: OpenApiEditor, auth: Mapping) {
  const toPreflight = auth.AddApiKeyRequiredToCorsPreflight !== false;
  editor.addApiKeyScheme();
  for (const { method, operation } of editor.operations()) {
    if (!operation[INTEGRATION] || (method === 'options' && !toPreflight)) continue;
    const security = securityOf(operation);
    const optedOut = security.some((entry) => 'api_key_false' in entry);
    const others = security.filter((entry) => !('api_key' in entry) && !('api_key_false' in entry));
    operation.security = optedOut ? others : [...others, { api_key: [] }];
  }
}

function removeOptOutMarkers(editor: OpenApiEditor) {
  for (const { operation } of editor.operations()) {
    if (!Array.isArray(operation.security)) continue;
    operation.security = securityOf(operation).filter((entry) => !('api_key_false' in entry));
  }
}

/** SAM's `GatewayResponses` (Headers/Paths/QueryStrings) as API Gateway's extension. */
function applyGatewayResponses(editor: OpenApiEditor, responses: unknown, apiId: string) {
  if (!isMapping(responses)) throw new ApiDefinitionError(`${apiId}: GatewayResponses must be a mapping`);
  const target = mappingAt(editor.doc, 'x-amazon-apigateway-gateway-responses', `${apiId}: gateway responses`);
  for (const [type, written] of Object.entries(responses)) {
    const response = isMapping(written) ? written : {};
    const responseParameters: Record<string, unknown> = {};
    const locations: Record<string, string> = { Headers: 'header', Paths: 'path', QueryStrings: 'querystring' };
    const groups = isMapping(response.ResponseParameters) ? response.ResponseParameters : {};
    for (const [group, values] of Object.entries(groups)) {
      const location = locations[group];
      if (!location)
        throw new ApiDefinitionError(
          `${apiId}: GatewayResponses.${type}.ResponseParameters.${group} is not Headers, Paths or QueryStrings`,
        );
      for (const [name, value] of Object.entries(isMapping(values) ? values : {}))
        responseParameters[`gatewayresponse.${location}.${name}`] = value;
    }
    target[type] = {
      ...(response.StatusCode !== undefined ? { statusCode: response.StatusCode } : {}),
      responseParameters,
      responseTemplates: response.ResponseTemplates ?? {},
    };
  }
}

function definitionBody(apiId: string, properties: Mapping): Mapping {
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
  if (!isMapping(body))
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
      Object.values(eventsOf(resource)).some(
        (event) =>
          isMapping(event) &&
          event.Type === 'Api' &&
          referencedApi(isMapping(event.Properties) ? event.Properties.RestApiId : undefined) === apiId,
      ),
  );
}

/** Every REST API of the template (explicit `AWS::Serverless::Api`s and SAM's implicit one) as SAM deploys it. */
export function samOpenApiDocuments(template: Template): SamApi[] {
  const apis: Array<[string, Mapping]> = Object.entries(template.Resources)
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
    const auth = isMapping(properties.Auth) ? properties.Auth : {};
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
