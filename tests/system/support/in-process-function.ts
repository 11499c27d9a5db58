/**
 * A function's real handler run inside the test process against a local cloud's DynamoDB Local and SES capture,
 * with the template's environment for it, so a test can invoke it as many times at once as Lambda would run
 * environments in AWS. Through the API the local Lambda runner keeps at most a few environments per function
 * (further invocations wait for one), which bounds how many of its database writes can race there.
 */
import type { Context } from 'aws-lambda';
import { FunctionConfigError } from '../../../local/lambda-runner';
import { readFunctionConfigs } from '../../../local/lambda-runner/function-config';
import { IntrinsicResolver } from '../../../local/template/intrinsics';
import { lambdaContext } from '../../unit/support/lambda';
import type { SystemCloud } from './system-cloud';

export type InProcessHandler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * Sets the environment `logicalId` has in the local cloud (its template variables, the cloud's endpoints, fake
 * credentials; logs, metrics and traces off, as the test reads the tables instead) and loads its handler module,
 * whose SDK clients read that environment once, when they are created. Call it at most once per function and
 * test file: jest gives each test file a process.env and a module registry of its own.
 */
export async function loadHandlerOf(system: SystemCloud, logicalId: string, load: () => Promise<{ handler: unknown }>) {
  const { template, region } = system.cloud;
  const config = readFunctionConfigs(template, new IntrinsicResolver(template, { region })).get(logicalId);
  if (!config || config instanceof FunctionConfigError)
    throw new Error(`${logicalId} cannot run locally: ${config?.message ?? 'not in the template'}`);
  Object.assign(process.env, config.environment, {
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: system.cloud.urls.dynamodb,
    AWS_ENDPOINT_URL_SES: system.sesUrl,
    AWS_ENDPOINT_URL_SFN: system.sfnUrl,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_DISABLED: 'true',
  });
  const { handler } = await load();
  const context = lambdaContext(logicalId);
  return (event: unknown) => (handler as InProcessHandler)(event, context);
}
