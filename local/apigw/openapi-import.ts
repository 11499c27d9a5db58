import { createHash } from 'node:crypto';
import { isMapping } from '../template/aws-rules/template-values';
import {
  ApiDefinitionError,
  type ApiMethod,
  type GatewayResponseConfig,
  type Integration,
  type IntegrationResponse,
  type PassthroughBehavior,
  type RequestValidator,
  type RestApi,
  type UserPoolAuthorizer,
} from './model';
import { nameMap } from './name-map';
import { userPoolIdOfArn } from './cognito-authorizer';

/**
 * Reads an OpenAPI document (Swagger 2 or OpenAPI 3, intrinsics already resolved) the way API Gateway's
 * import does: one method per path and verb with its `x-amazon-apigateway-integration`, request validator,
 * body models, required parameters and API key requirement; the API's gateway responses and binary media
 * types. Anything the local runtime cannot run is rejected here, at start, rather than on the first request.
 */

const ANY_METHOD = 'x-amazon-apigateway-any-method';
const VERBS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', ANY_METHOD];
const DEFAULT_TIMEOUT_MS = 29_000;
const PASSTHROUGH: PassthroughBehavior[] = ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'];

/** The document's data as written (intrinsics resolved): what a member holds is checked where it is read. */
type Mapping = Record<string, unknown>;

/** A member that should be a mapping, or an empty one when it is missing or is not. */
const mappingOr = (value: unknown): Mapping => (isMapping(value) ? value : {});

/** API Gateway's ids (API, resource) are lower-case letters and digits; a hash of what they name keeps ours stable. */
export function localGatewayId(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(digest.subarray(0, 10), (byte) => alphabet[byte % alphabet.length]).join('');
}

function stringMap(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ApiDefinitionError(`${where} must be a mapping`);
  // A name map, so that any key the definition writes (even `__proto__`) is an entry.
  const result = nameMap<string>();
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
      throw new ApiDefinitionError(`${where}.${key} must be a string`);
    }
    result[key] = String(item);
  }
  return result;
}

/**
 * Template maps are keyed by content type; API Gateway compares MIME types case-insensitively. A name map: a
 * template is looked up by the request's Content-Type or Accept, which may say `constructor`.
 */
function templateMap(value: unknown, where: string): Record<string, string> {
  return nameMap(Object.entries(stringMap(value, where)).map(([type, text]) => [type.toLowerCase(), text] as const));
}

/**
 * The integration's target from its URI: a Lambda function for proxies
 * (`arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`), an action of an
 * AWS service for `aws` integrations (`arn:aws:apigateway:<region>:states:action/StartSyncExecution`).
 */
function parseIntegrationTarget(type: string, uri: unknown, where: string): { target?: string; service?: string } {
  if (type === 'mock') return {};
  if (typeof uri !== 'string') throw new ApiDefinitionError(`${where}: the integration has no uri`);
  const match = /^arn:aws[\w-]*:apigateway:[\w-]+:([\w.-]+):(action|path)\/(.+)$/.exec(uri);
  if (!match)
    throw new ApiDefinitionError(
      `${where}: integration uri ${uri} is not an arn:aws:apigateway:<region>:<service>:action|path/... URI`,
    );
  const [, host, kind, rest] = match;
  // `<subdomain>.<service>` names a host of the service; Step Functions' synchronous host is `sync-states`.
  // Locally one endpoint serves every host of a service.
  const service = host
    .split('.')
    .pop()!
    .replace(/^sync-/, '');
  if (type === 'aws_proxy') {
    const fn = /^2015-03-31\/functions\/(.+)\/invocations$/.exec(rest);
    if (service !== 'lambda' || kind !== 'path' || !fn)
      throw new ApiDefinitionError(`${where}: an aws_proxy integration must invoke a Lambda function, got ${uri}`);
    return { target: fn[1], service };
  }
  if (service === 'states' && kind === 'action') return { target: rest.split('&')[0], service };
  if (service === 'lambda' && kind === 'path') {
    throw new ApiDefinitionError(
      `${where}: Lambda custom (non-proxy) integrations are not emulated locally; use aws_proxy`,
    );
  }
  throw new ApiDefinitionError(
    `${where}: AWS service integration ${service}:${kind}/${rest} is not emulated locally (Step Functions actions are)`,
  );
}

function parseIntegration(raw: unknown, where: string): Integration {
  if (!raw || typeof raw !== 'object')
    throw new ApiDefinitionError(`${where}: the method has no x-amazon-apigateway-integration`);
  const spec = raw as Mapping;
  const type = String(spec.type ?? '').toLowerCase();
  if (type === 'http' || type === 'http_proxy')
    throw new ApiDefinitionError(`${where}: ${type} integrations are not emulated locally`);
  if (type !== 'aws' && type !== 'aws_proxy' && type !== 'mock')
    throw new ApiDefinitionError(`${where}: unknown integration type ${JSON.stringify(spec.type)}`);
  const passthrough = String(spec.passthroughBehavior ?? 'WHEN_NO_MATCH').toUpperCase() as PassthroughBehavior;
  if (!PASSTHROUGH.includes(passthrough))
    throw new ApiDefinitionError(
      `${where}: passthroughBehavior ${spec.passthroughBehavior} is not one of ${PASSTHROUGH.join(', ')}`,
    );
  const timeoutMs = spec.timeoutInMillis === undefined ? DEFAULT_TIMEOUT_MS : Number(spec.timeoutInMillis);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 50)
    throw new ApiDefinitionError(`${where}: timeoutInMillis must be an integer of at least 50`);
  const responses: IntegrationResponse[] = [];
  for (const [pattern, response] of Object.entries(mappingOr(spec.responses))) {
    const responseWhere = `${where} integration response ${JSON.stringify(pattern)}`;
    if (!isMapping(response) || response.statusCode === undefined)
      throw new ApiDefinitionError(`${responseWhere}: statusCode is required`);
    if (pattern !== 'default') {
      try {
        new RegExp(pattern);
      } catch (error) {
        throw new ApiDefinitionError(
          `${responseWhere}: the selection pattern is not a valid regex: ${(error as Error).message}`,
        );
      }
    }
    responses.push({
      selectionPattern: pattern === 'default' ? undefined : pattern,
      statusCode: String(response.statusCode),
      responseParameters: stringMap(response.responseParameters, `${responseWhere}.responseParameters`),
      responseTemplates: templateMap(response.responseTemplates, `${responseWhere}.responseTemplates`),
    });
  }
  return {
    type,
    ...parseIntegrationTarget(type, spec.uri, where),
    requestTemplates: templateMap(spec.requestTemplates, `${where}.requestTemplates`),
    passthroughBehavior: passthrough,
    responses,
    timeoutMs,
  };
}

/**
 * Every schema of the document under `definitions`, with OpenAPI 3 references rewritten, so that one
 * self-contained draft-04 schema per request model can be compiled (API Gateway models are draft-04).
 */
function modelSchemas(doc: Mapping): Record<string, object> {
  const models = { ...mappingOr(doc.definitions), ...mappingOr(mappingOr(doc.components).schemas) };
  return JSON.parse(JSON.stringify(models).replace(/"#\/components\/schemas\//g, '"#/definitions/'));
}

function withDefinitions(schema: unknown, definitions: Record<string, object>, where: string): object {
  if (!schema || typeof schema !== 'object')
    throw new ApiDefinitionError(`${where}: the request model is not a schema`);
  const text = JSON.stringify(schema).replace(/"#\/components\/schemas\//g, '"#/definitions/');
  return { ...JSON.parse(text), definitions };
}

function securitySchemes(doc: Mapping): Mapping {
  return { ...mappingOr(doc.securityDefinitions), ...mappingOr(mappingOr(doc.components).securitySchemes) };
}

function requiresApiKey(security: unknown, schemes: Mapping): boolean {
  if (!Array.isArray(security)) return false;
  return security.some((requirement) =>
    Object.keys(requirement ?? {}).some((name) => {
      const scheme = schemes[name];
      return (
        isMapping(scheme) &&
        scheme.type === 'apiKey' &&
        String(scheme.name).toLowerCase() === 'x-api-key' &&
        scheme.in === 'header' &&
        !scheme['x-amazon-apigateway-authtype']
      );
    }),
  );
}

/**
 * The COGNITO_USER_POOLS authorizer a method's security names, if any: a scheme of type apiKey with
 * `x-amazon-apigateway-authtype: cognito_user_pools` and an `x-amazon-apigateway-authorizer` of type
 * cognito_user_pools (API Gateway's OpenAPI extensions). Other authorizer types are not emulated: refused.
 */
function userPoolAuthorizer(security: unknown, schemes: Mapping, where: string): UserPoolAuthorizer | undefined {
  if (!Array.isArray(security)) return undefined;
  for (const requirement of security) {
    for (const name of Object.keys(requirement ?? {})) {
      const scheme = schemes[name];
      if (!isMapping(scheme) || !isMapping(scheme['x-amazon-apigateway-authorizer'])) continue;
      const authorizer = scheme['x-amazon-apigateway-authorizer'];
      if (String(authorizer.type).toLowerCase() !== 'cognito_user_pools')
        throw new ApiDefinitionError(`${where}: authorizer ${name} of type ${authorizer.type} is not emulated locally`);
      const arns = Array.isArray(authorizer.providerARNs) ? authorizer.providerARNs.map(String) : [];
      const userPools = arns.map((arn) => {
        const id = userPoolIdOfArn(arn);
        if (!id) throw new ApiDefinitionError(`${where}: authorizer ${name} names ${arn}, which is no user pool ARN`);
        return id;
      });
      if (userPools.length === 0) throw new ApiDefinitionError(`${where}: authorizer ${name} names no providerARNs`);
      return { name, header: String(scheme.name ?? 'Authorization').toLowerCase(), userPools };
    }
  }
  return undefined;
}

export interface ImportOptions {
  logicalId: string;
  stageName: string;
  stageVariables: Record<string, string>;
}

export function importOpenApi(doc: unknown, options: ImportOptions): RestApi {
  const { logicalId } = options;
  if (!isMapping(doc)) throw new ApiDefinitionError(`${logicalId}: the OpenAPI document is not a mapping`);
  const schemes = securitySchemes(doc);
  const definitions = modelSchemas(doc);
  const validators: Record<string, RequestValidator> = {};
  for (const [name, spec] of Object.entries(mappingOr(doc['x-amazon-apigateway-request-validators']))) {
    validators[name] = {
      name,
      body: isMapping(spec) && spec.validateRequestBody === true,
      parameters: isMapping(spec) && spec.validateRequestParameters === true,
    };
  }
  const defaultValidator = doc['x-amazon-apigateway-request-validator'];
  const keySource = String(doc['x-amazon-apigateway-api-key-source'] ?? 'HEADER').toUpperCase();
  if (keySource !== 'HEADER')
    throw new ApiDefinitionError(`${logicalId}: API key source ${keySource} is not emulated locally (HEADER is)`);

  const gatewayResponses: Record<string, GatewayResponseConfig> = {};
  for (const [type, written] of Object.entries(mappingOr(doc['x-amazon-apigateway-gateway-responses']))) {
    const where = `${logicalId} gateway response ${type}`;
    const spec = mappingOr(written);
    gatewayResponses[type] = {
      statusCode: spec.statusCode === undefined ? undefined : String(spec.statusCode),
      responseParameters: stringMap(spec.responseParameters, `${where}.responseParameters`),
      responseTemplates: templateMap(spec.responseTemplates, `${where}.responseTemplates`),
    };
  }

  const api: RestApi = {
    logicalId,
    id: localGatewayId(logicalId),
    stageName: options.stageName,
    stageVariables: options.stageVariables,
    gatewayResponses,
    binaryMediaTypes: Array.isArray(doc['x-amazon-apigateway-binary-media-types'])
      ? doc['x-amazon-apigateway-binary-media-types'].map(String)
      : [],
    methods: [],
  };

  for (const [resourcePath, item] of Object.entries(mappingOr(doc.paths))) {
    if (!resourcePath.startsWith('/'))
      throw new ApiDefinitionError(`${logicalId}: path ${resourcePath} must start with /`);
    const pathItem = mappingOr(item);
    const pathParameters: unknown[] = Array.isArray(pathItem.parameters) ? pathItem.parameters : [];
    for (const [verb, operation] of Object.entries(pathItem)) {
      if (!VERBS.includes(verb)) continue;
      const httpMethod = verb === ANY_METHOD ? 'ANY' : verb.toUpperCase();
      const where = `${logicalId} ${httpMethod} ${resourcePath}`;
      if (!isMapping(operation)) throw new ApiDefinitionError(`${where}: the method is not a mapping`);
      const validatorName = operation['x-amazon-apigateway-request-validator'] ?? defaultValidator;
      if (validatorName !== undefined && (typeof validatorName !== 'string' || !validators[validatorName])) {
        throw new ApiDefinitionError(
          `${where}: request validator ${validatorName} is not in x-amazon-apigateway-request-validators`,
        );
      }
      const parameters: unknown[] = [
        ...pathParameters,
        ...(Array.isArray(operation.parameters) ? operation.parameters : []),
      ];
      const consumes = operation.consumes ?? doc.consumes;
      const bodyTypes: string[] = Array.isArray(consumes) ? consumes : ['application/json'];
      const requiredParameters = { querystring: [] as string[], header: [] as string[], path: [] as string[] };
      const requestModels: Record<string, object> = {};
      for (const parameter of parameters) {
        if (!isMapping(parameter)) continue;
        if (parameter.in === 'body') {
          for (const type of bodyTypes)
            requestModels[type.toLowerCase()] = withDefinitions(parameter.schema, definitions, where);
        } else if (parameter.required === true && typeof parameter.name === 'string') {
          const location: string = parameter.in === 'query' ? 'querystring' : String(parameter.in);
          if (location === 'querystring' || location === 'header' || location === 'path')
            requiredParameters[location].push(parameter.name);
        }
      }
      for (const [type, media] of Object.entries(mappingOr(mappingOr(operation.requestBody).content))) {
        if (isMapping(media) && media.schema)
          requestModels[type.toLowerCase()] = withDefinitions(media.schema, definitions, where);
      }
      const method: ApiMethod = {
        httpMethod,
        resourcePath,
        integration: parseIntegration(operation['x-amazon-apigateway-integration'], where),
        apiKeyRequired: requiresApiKey(operation.security ?? doc.security, schemes),
        authorizer: userPoolAuthorizer(operation.security ?? doc.security, schemes, where),
        validator: validatorName === undefined ? undefined : validators[validatorName],
        requestModels,
        requiredParameters,
        api,
      };
      api.methods.push(method);
    }
  }
  return api;
}
