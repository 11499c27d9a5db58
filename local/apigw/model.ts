/**
 * The emulator's view of a deployed REST API: what API Gateway holds after importing the OpenAPI document
 * SAM generates (resources, methods, integrations, validators, models, gateway responses, stage).
 */

export type IntegrationType = 'aws' | 'aws_proxy' | 'mock';
export type PassthroughBehavior = 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES' | 'NEVER';

export interface IntegrationResponse {
  /** The regex matched against the integration's status code (or error message); undefined for the default. */
  selectionPattern?: string;
  statusCode: string;
  /** `method.response.header.X` → mapping expression (`'static'`, `integration.response.header.Y`, ...). */
  responseParameters: Record<string, string>;
  /** Content type → Velocity template. */
  responseTemplates: Record<string, string>;
}

export interface Integration {
  type: IntegrationType;
  /** Lambda proxy: the function's logical id or ARN; AWS service: the action (e.g. `StartSyncExecution`). */
  target?: string;
  /** For `aws` integrations: the service of the URI (only `states` runs locally). */
  service?: string;
  requestTemplates: Record<string, string>;
  passthroughBehavior: PassthroughBehavior;
  responses: IntegrationResponse[];
  timeoutMs: number;
}

export interface RequestValidator {
  name: string;
  body: boolean;
  parameters: boolean;
}

export interface RequiredParameters {
  querystring: string[];
  header: string[];
  path: string[];
}

/** A COGNITO_USER_POOLS authorizer (cognito-authorizer.ts): the header it reads and the pools it trusts. */
export interface UserPoolAuthorizer {
  name: string;
  /** The identity source header (lower case): `authorization` unless the scheme names another. */
  header: string;
  /** The user pools of its providerARNs, by the id at the end of each ARN (the template's logical id locally). */
  userPools: string[];
}

export interface ApiMethod {
  /** Upper case, or `ANY`. */
  httpMethod: string;
  resourcePath: string;
  integration: Integration;
  apiKeyRequired: boolean;
  /** The method's Cognito user pool authorizer, when its security names one. */
  authorizer?: UserPoolAuthorizer;
  validator?: RequestValidator;
  /** Request content type (lower case) → JSON schema of the body (draft-04, definitions inlined). */
  requestModels: Record<string, object>;
  requiredParameters: RequiredParameters;
  api: RestApi;
}

export interface GatewayResponseConfig {
  statusCode?: string;
  /** `gatewayresponse.header.X` → mapping expression. */
  responseParameters: Record<string, string>;
  responseTemplates: Record<string, string>;
}

export interface RestApi {
  logicalId: string;
  /** A stable local identifier in API Gateway's format (10 lower-case letters and digits). */
  id: string;
  stageName: string;
  stageVariables: Record<string, string>;
  gatewayResponses: Record<string, GatewayResponseConfig>;
  binaryMediaTypes: string[];
  methods: ApiMethod[];
}

/** The template's API cannot be served as written: names the API, the place and the problem. */
export class ApiDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiDefinitionError';
  }
}
