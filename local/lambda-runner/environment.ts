import { runtimeNodePath } from '../runtime-node-path';
import type { FunctionConfig } from './function-config';

/** Where a function's SDK clients and tracer send their requests locally. */
export interface LocalEndpoints {
  dynamodb?: string;
  ses?: string;
  sfn?: string;
}

export interface RuntimeEnvironmentOptions {
  region: string;
  endpoints: LocalEndpoints;
  /** host:port of the local X-Ray collector; without it tracing is switched off for the function. */
  xrayDaemonAddress?: string;
  /** The function's bundle folder (Lambda's LAMBDA_TASK_ROOT). */
  taskRoot: string;
  /** This local cloud's random value for the variables that AWS's functions fill from a secret (below). */
  localSecret?: string;
}

/**
 * Variables a template declares empty because in AWS the function reads the value from a secret at run time
 * (PAGE_TOKEN_KEY: ListIncidentsFunction's page-token key, in Secrets Manager). Offline there is no Secrets Manager:
 * the local cloud gives them its own random value instead.
 */
const LOCAL_SECRET_VARIABLES = ['PAGE_TOKEN_KEY'];

/**
 * The environment a function process starts with: what Lambda's Node.js runtime sets, the template's variables,
 * and the local endpoints. Nothing is inherited from the developer's shell (no HOME, no real AWS credentials),
 * so a function can only reach the local services, as in Lambda it can only reach what its role allows.
 */
export function runtimeEnvironment(config: FunctionConfig, options: RuntimeEnvironmentOptions): Record<string, string> {
  const { region, endpoints } = options;
  const environment: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    LAMBDA_TASK_ROOT: options.taskRoot,
    // Where the runtime's own packages are: what a bundle leaves External (template.yaml) is found there.
    NODE_PATH: runtimeNodePath(),
    _HANDLER: config.handler,
    AWS_EXECUTION_ENV: `AWS_Lambda_${config.runtime}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_FUNCTION_NAME: config.logicalId,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySize),
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(config.timeoutSeconds),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${config.logicalId}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]local`,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    // Fake credentials: the local services accept any signature, and real ones must never leak into a function.
    AWS_ACCESS_KEY_ID: 'ASIALOCALLAMBDA00000',
    AWS_SECRET_ACCESS_KEY: 'local-secret-access-key',
    AWS_SESSION_TOKEN: 'local-session-token',
    ...(options.xrayDaemonAddress
      ? { AWS_XRAY_DAEMON_ADDRESS: options.xrayDaemonAddress, AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR' }
      : { POWERTOOLS_TRACE_ENABLED: 'false', AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR' }),
    ...config.environment,
  };
  // A template may declare an endpoint variable empty (in AWS, the SDK then uses the service's own endpoint) so that
  // `sam local invoke --env-vars` can set it: SAM passes a function only the variables its template declares. Empty
  // or undeclared, the local service is the endpoint; a value of the template's or of npm run invoke --env-vars wins.
  const localEndpoints = {
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SES: endpoints.ses,
    AWS_ENDPOINT_URL_SFN: endpoints.sfn,
  };
  for (const [name, endpoint] of Object.entries(localEndpoints)) environment[name] ||= endpoint;
  for (const name of LOCAL_SECRET_VARIABLES) if (name in environment) environment[name] ||= options.localSecret;
  return Object.fromEntries(
    Object.entries(environment).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
