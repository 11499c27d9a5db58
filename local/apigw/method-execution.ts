import type { LambdaInvoker } from '../lambda-runner';
import type { CognitoAuthorizer } from './cognito-authorizer';
import { header, requestContext, type ApiRequest } from './api-request';
import type { ApiResponse } from './api-response';
import { gatewayResponse, type GatewayError } from './gateway-responses';
import { invokeLambdaProxy } from './integrations/lambda-proxy';
import { runMappedIntegration } from './integrations/mapped-integration';
import type { RestApi } from './model';
import { nameMap } from './name-map';
import type { RequestValidation } from './request-validation';
import type { RouteTable } from './routes';
import { templateContext } from './vtl/template-variables';

/**
 * One request through API Gateway's method execution: route → authorizer → API key → request validation → integration →
 * method response, with API Gateway's own gateway responses wherever a step refuses the request.
 */

export interface MethodExecutionDeps {
  apis: RestApi[];
  routes: RouteTable;
  lambda: LambdaInvoker;
  sfnEndpoint: string;
  apiKey?: string;
  /** Verifies the tokens of the methods with a Cognito user pool authorizer. */
  cognito: CognitoAuthorizer;
  validation: RequestValidation;
}

export interface ExecutionResult {
  response: ApiResponse;
  /** Why API Gateway answered with an error of its own (for the log line), when it did. */
  reason?: string;
}

export async function executeMethod(request: ApiRequest, deps: MethodExecutionDeps): Promise<ExecutionResult> {
  const match = deps.routes.match(request.httpMethod, request.path);
  const params = {
    path: match?.pathParameters ?? nameMap<string>(),
    querystring: request.query,
    header: request.headers,
  };
  if (!match) {
    const api = deps.apis[0];
    const context = requestContext(request, api, undefined, null);
    const response = gatewayResponse(
      api,
      { type: 'MISSING_AUTHENTICATION_TOKEN' },
      { request: params, context, stageVariables: api.stageVariables },
    );
    return { response, reason: 'no such resource or method' };
  }
  const { method } = match;
  const { api } = method;
  const suppliedKey = header(request.headers, 'x-api-key');
  // The authorizer runs before the API key check and the request validation (API Gateway's order, docs/security.md 3).
  const verdict = method.authorizer
    ? await deps.cognito.verify(header(request.headers, method.authorizer.header), method.authorizer.userPools)
    : undefined;
  const claims = verdict && 'claims' in verdict ? { claims: verdict.claims } : undefined;
  const context = requestContext(request, api, method, method.apiKeyRequired ? (suppliedKey ?? null) : null, claims);
  const refuse = (error: GatewayError, reason: string): ExecutionResult => ({
    response: gatewayResponse(api, error, { request: params, context, stageVariables: api.stageVariables }),
    reason,
  });

  if (verdict && 'refused' in verdict) {
    // AWS's own words for an expired token; any other failure is the type's default "Unauthorized".
    const message = verdict.expired ? 'The incoming token has expired' : undefined;
    return refuse({ type: 'UNAUTHORIZED', message }, verdict.refused);
  }
  if (method.apiKeyRequired && (deps.apiKey === undefined || suppliedKey !== deps.apiKey)) {
    return refuse({ type: 'INVALID_API_KEY' }, suppliedKey === undefined ? 'no x-api-key header' : 'wrong API key');
  }
  const invalid = deps.validation.validate(method, request, match.pathParameters);
  if (invalid?.kind === 'parameters')
    return refuse({ type: 'BAD_REQUEST_PARAMETERS', message: invalid.message }, invalid.message);
  if (invalid?.kind === 'body') {
    return refuse(
      { type: 'BAD_REQUEST_BODY', validationErrorString: invalid.validationErrorString },
      `invalid request body: ${invalid.summary}`,
    );
  }

  const outcome =
    method.integration.type === 'aws_proxy'
      ? await invokeLambdaProxy(deps.lambda, request, method, match.pathParameters, context)
      : await runMappedIntegration(request, method, params, templateContext(context), {
          sfnEndpoint: deps.sfnEndpoint,
        });
  if ('error' in outcome) return refuse(outcome.error, outcome.reason);
  return { response: outcome.response };
}
