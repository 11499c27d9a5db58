import type { ApiResponse } from './api-response';
import { evaluateMappingExpression, type MappingSources } from './mapping-expressions';
import type { RestApi } from './model';
import { ownPath } from './name-map';

/**
 * API Gateway's own answers (gateway responses): their default status, message and error type, and how an
 * API's customisations apply: the specific type's settings, else those of DEFAULT_4XX/DEFAULT_5XX; a status
 * set on DEFAULT_4XX/5XX replaces the default status of every type of that family that sets none.
 */

/** Every gateway response type API Gateway has that the emulator answers with, and its defaults. */
const DEFAULTS = {
  ACCESS_DENIED: { status: 403, message: 'Forbidden', errorType: 'AccessDeniedException' },
  API_CONFIGURATION_ERROR: { status: 500, message: 'Internal server error', errorType: 'InternalServerErrorException' },
  BAD_REQUEST_BODY: { status: 400, message: 'Invalid request body', errorType: 'BadRequestException' },
  BAD_REQUEST_PARAMETERS: {
    status: 400,
    message: 'Missing required request parameters',
    errorType: 'BadRequestException',
  },
  DEFAULT_4XX: { status: 400, message: 'Bad Request', errorType: 'BadRequestException' },
  DEFAULT_5XX: { status: 500, message: 'Internal server error', errorType: 'InternalServerErrorException' },
  INTEGRATION_FAILURE: { status: 504, message: 'Internal server error', errorType: 'InternalServerErrorException' },
  INTEGRATION_TIMEOUT: {
    status: 504,
    message: 'Endpoint request timed out',
    errorType: 'InternalServerErrorException',
  },
  INVALID_API_KEY: { status: 403, message: 'Forbidden', errorType: 'ForbiddenException' },
  MISSING_AUTHENTICATION_TOKEN: {
    status: 403,
    message: 'Missing Authentication Token',
    errorType: 'MissingAuthenticationTokenException',
  },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long', errorType: 'RequestTooLongException' },
  RESOURCE_NOT_FOUND: { status: 404, message: 'Not Found', errorType: 'NotFoundException' },
  UNAUTHORIZED: { status: 401, message: 'Unauthorized', errorType: 'UnauthorizedException' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'Unsupported Media Type',
    errorType: 'UnsupportedMediaTypeException',
  },
} satisfies Record<string, { status: number; message: string; errorType: string }>;

export type GatewayResponseType = keyof typeof DEFAULTS;

const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

export interface GatewayError {
  type: GatewayResponseType;
  /** Overrides the type's default message (e.g. the missing parameters' names). */
  message?: string;
  /** Overrides the type's default status (e.g. 502 for a malformed Lambda proxy response). */
  status?: number;
  /** Overrides the type's x-amzn-ErrorType (AWS names some occasions of a type differently). */
  errorType?: string;
  validationErrorString?: string;
}

/**
 * Gateway response templates are not Velocity: API Gateway only substitutes `$context.*` and
 * `$stageVariables.*` references (with or without braces) in them.
 */
function substitute(
  template: string,
  context: Record<string, unknown>,
  stageVariables: Record<string, string>,
): string {
  return template.replace(
    /\$\{(context|stageVariables)((?:\.\w+)+)\}|\$(context|stageVariables)((?:\.\w+)+)/g,
    (_m, b1, p1, b2, p2) => {
      const root = (b1 ?? b2) === 'context' ? context : stageVariables;
      const value = ownPath(
        root,
        String(p1 ?? p2)
          .slice(1)
          .split('.'),
      );
      return value === undefined || value === null ? '' : String(value);
    },
  );
}

export function gatewayResponse(
  api: RestApi,
  error: GatewayError,
  sources: Omit<MappingSources, 'integrationResponse'>,
): ApiResponse {
  const defaults = DEFAULTS[error.type];
  const baseStatus = error.status ?? defaults.status;
  const family = baseStatus >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  const specific = api.gatewayResponses[error.type];
  const familyConfig = api.gatewayResponses[family];
  const config = specific ?? familyConfig;
  const statusCode = Number(specific?.statusCode ?? familyConfig?.statusCode ?? baseStatus);
  const message = error.message ?? defaults.message;
  const context = {
    ...sources.context,
    error: {
      message,
      messageString: JSON.stringify(message),
      responseType: error.type,
      validationErrorString: error.validationErrorString ?? '',
    },
  };
  const templates = config?.responseTemplates ?? {};
  const contentType =
    'application/json' in templates ? 'application/json' : (Object.keys(templates)[0] ?? 'application/json');
  const template = templates[contentType] ?? DEFAULT_TEMPLATE;
  const headers: Record<string, string[]> = {
    'Content-Type': [contentType],
    'x-amzn-ErrorType': [error.errorType ?? defaults.errorType],
  };
  for (const [target, expression] of Object.entries(config?.responseParameters ?? {})) {
    const name = /^gatewayresponse\.header\.(.+)$/.exec(target)?.[1];
    if (!name) continue;
    const value = evaluateMappingExpression(expression, { ...sources, context });
    if (value !== undefined) headers[name] = [value];
  }
  return { statusCode, headers, body: substitute(template, context, sources.stageVariables) };
}
