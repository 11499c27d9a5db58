import { header, mimeType, type ApiRequest } from '../api-request';
import type { ApiResponse } from '../api-response';
import type { GatewayError } from '../gateway-responses';
import { evaluateMappingExpression } from '../mapping-expressions';
import type { ApiMethod, Integration, IntegrationResponse } from '../model';
import { nameMap, ownValue } from '../name-map';
import type { RequestParams } from '../vtl/input';
import { templateVariables, type TemplateContext } from '../vtl/template-variables';
import { MappingTemplateError, renderVelocity } from '../vtl/velocity';
import { callStepFunctions, type ServiceResponse } from './step-functions';
import { IntegrationTimeout } from './timeout';

/**
 * Non-proxy integrations (`aws` service actions and `mock`): the request mapping template chosen by the
 * request's Content-Type and the passthrough behaviour, the call, the integration response chosen by its
 * selection pattern, its response template (chosen by Accept), response parameters and
 * `$context.responseOverride`.
 */

export interface MappedIntegrationDeps {
  sfnEndpoint: string;
}

type Outcome = { response: ApiResponse } | { error: GatewayError; reason: string };

const configurationError = (reason: string): Outcome => ({ error: { type: 'API_CONFIGURATION_ERROR' }, reason });

/** The request template to apply, `passthrough` to send the body as it is, or `unsupported` for a 415. */
export function selectRequestTemplate(
  integration: Integration,
  contentType: string | undefined,
): { template: string } | 'passthrough' | 'unsupported' {
  const type = contentType ?? 'application/json';
  // The Content-Type is the client's: only a template of the API counts, never an object's inherited member.
  const template = ownValue(integration.requestTemplates, type);
  if (template !== undefined) return { template };
  const hasTemplates = Object.keys(integration.requestTemplates).length > 0;
  switch (integration.passthroughBehavior) {
    case 'WHEN_NO_MATCH':
      return 'passthrough';
    case 'WHEN_NO_TEMPLATES':
      return hasTemplates ? 'unsupported' : 'passthrough';
    case 'NEVER':
      return 'unsupported';
  }
}

/**
 * The integration response for a status (or, for Lambda custom integrations, an error message): the first
 * whose selection pattern matches the whole value (Java's String.matches), else the default one.
 */
export function selectIntegrationResponse(
  responses: IntegrationResponse[],
  value: string,
): IntegrationResponse | undefined {
  const matching = responses.find(
    (response) =>
      response.selectionPattern !== undefined &&
      response.selectionPattern !== '' &&
      new RegExp(`^(?:${response.selectionPattern})$`, 's').test(value),
  );
  return (
    matching ??
    responses.find((response) => response.selectionPattern === undefined || response.selectionPattern === '')
  );
}

/** The response template for the request's Accept header: its first listed type that has one, else application/json, else the first. */
export function selectResponseTemplate(
  templates: Record<string, string>,
  accept: string | undefined,
): [string, string] | undefined {
  const types = Object.keys(templates);
  if (types.length === 0) return undefined;
  const wanted = (accept ?? '')
    .split(',')
    .map((part) => mimeType(part))
    .filter((type): type is string => !!type);
  const chosen =
    wanted.find((type) => Object.hasOwn(templates, type)) ??
    (Object.hasOwn(templates, 'application/json') ? 'application/json' : types[0]);
  return [chosen, templates[chosen]];
}

async function callIntegration(
  method: ApiMethod,
  body: string,
  deps: MappedIntegrationDeps,
): Promise<ServiceResponse | Outcome> {
  const { integration } = method;
  if (integration.type === 'mock') {
    // A mock answers with the status its request template names (200 when there is no template).
    if (body.trim() === '') return { status: 200, headers: {}, body: '' };
    let statusCode: unknown;
    try {
      statusCode = (JSON.parse(body) as { statusCode?: unknown }).statusCode;
    } catch {
      return configurationError(`mock integration: the request template's output is not JSON: ${body}`);
    }
    if (!Number.isInteger(Number(statusCode)))
      return configurationError('mock integration: the request template has no numeric statusCode');
    return { status: Number(statusCode), headers: {}, body: '' };
  }
  try {
    return await callStepFunctions(deps.sfnEndpoint, integration.target!, body, integration.timeoutMs);
  } catch (error) {
    if (error instanceof IntegrationTimeout) return { error: { type: 'INTEGRATION_TIMEOUT' }, reason: error.message };
    return {
      error: { type: 'INTEGRATION_FAILURE' },
      reason: `Step Functions at ${deps.sfnEndpoint} did not answer: ${(error as Error).message}`,
    };
  }
}

export async function runMappedIntegration(
  request: ApiRequest,
  method: ApiMethod,
  params: RequestParams,
  context: TemplateContext,
  deps: MappedIntegrationDeps,
): Promise<Outcome> {
  const { integration, api } = method;
  const requestBody = request.body.toString('utf8');
  const selected = selectRequestTemplate(integration, mimeType(header(request.headers, 'content-type')));
  if (selected === 'unsupported')
    return { error: { type: 'UNSUPPORTED_MEDIA_TYPE' }, reason: 'no request template for the Content-Type' };
  let integrationBody = requestBody;
  if (selected !== 'passthrough') {
    try {
      integrationBody = renderVelocity(
        selected.template,
        templateVariables(requestBody, params, context, api.stageVariables),
      );
    } catch (error) {
      if (error instanceof MappingTemplateError) return configurationError(`request template: ${error.message}`);
      throw error;
    }
  }

  const called = await callIntegration(method, integrationBody, deps);
  if (!('status' in called)) return called;

  const chosen = selectIntegrationResponse(integration.responses, String(called.status));
  if (!chosen) {
    return configurationError(
      `No match for output mapping and no default output mapping configured. Endpoint Response Status Code: ${called.status}`,
    );
  }
  const template = selectResponseTemplate(chosen.responseTemplates, header(request.headers, 'accept'));
  let body = called.body;
  if (template) {
    try {
      body = renderVelocity(template[1], templateVariables(called.body, params, context, api.stageVariables));
    } catch (error) {
      if (error instanceof MappingTemplateError) return configurationError(`response template: ${error.message}`);
      throw error;
    }
  }
  const headers = nameMap([['Content-Type', [template?.[0] ?? 'application/json']]]);
  const sources = {
    request: params,
    context,
    stageVariables: api.stageVariables,
    integrationResponse: { headers: called.headers, body: called.body },
  };
  for (const [target, expression] of Object.entries(chosen.responseParameters)) {
    const name = /^method\.response\.header\.(.+)$/.exec(target)?.[1];
    if (!name) continue;
    const value = evaluateMappingExpression(expression, sources);
    if (value === undefined) continue;
    const existing = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());
    if (existing) delete headers[existing];
    headers[name] = [value];
  }
  const override = context.responseOverride;
  for (const [name, value] of Object.entries(override.header)) {
    if (value === null || value === undefined) continue;
    const existing = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());
    if (existing) delete headers[existing];
    headers[name] = [String(value)];
  }
  let statusCode = Number(chosen.statusCode);
  if (override.status !== undefined && override.status !== null && override.status !== '') {
    const overridden = Number(override.status);
    if (!Number.isInteger(overridden) || overridden < 100 || overridden > 599) {
      return configurationError(
        `$context.responseOverride.status ${JSON.stringify(override.status)} is not an HTTP status code`,
      );
    }
    statusCode = overridden;
  }
  return { response: { statusCode, headers, body } };
}
