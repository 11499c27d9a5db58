/**
 * Start-up step 3: the APIs, wired to the services and to each other: the Lambda runner (the functions reach
 * DynamoDB Local, the SES capture, the Step Functions API and the X-Ray collector), the Step Functions API (its
 * tasks invoke the runner) and the API Gateway emulator with the web pages (its integrations call both; its
 * /_local/ pages link to every service).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LocalUserPool } from '../apigw/cognito-authorizer';
import { startApiGateway, type HealthReport } from '../apigw/server';
import type { SignInConfig } from '../../web/shared/app-config';
import { LambdaRunner } from '../lambda-runner';
import { LocalClock } from '../sfn-api/local-clock';
import { startSfnApiServer, type SfnApiServer } from '../sfn-api/server';
import type { Template } from '../template/load';
import type { XRayCollector } from '../xray/collector';
import { seconds, type Teardown } from './lifecycle';

interface StepContext {
  region: string;
  teardown: Teardown;
  progress: (message: string) => void;
}

export interface StepFunctionsOptions {
  template: Template;
  parameterOverrides: Record<string, string>;
  sfnPort: number;
  endpoints: { dynamodb: string; ses: string };
  xray: XRayCollector;
  /** Built function bundles (default dist/functions). */
  codeRoot?: string;
  /** Executions and their histories: kept in this folder, or in a temporary one removed at stop. */
  dataDir?: string;
  mockConfigPath?: string;
  /** Step Functions Local mode (local/sfn-api/sfn-local-mode.ts) */
  stepFunctionsLocalMode?: boolean;
  onFunctionLog?: (functionName: string, line: string) => void;
}

/** The Lambda runner with the template's functions, and the Step Functions API whose tasks invoke it. */
export async function startStepFunctions(
  options: StepFunctionsOptions,
  { region, teardown, progress }: StepContext,
): Promise<{ lambda: LambdaRunner; sfnApi: SfnApiServer }> {
  const sfnDataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'local-cloud-sfn-'));
  if (!options.dataDir)
    teardown.add('Step Functions state', () => rmSync(sfnDataDir, { recursive: true, force: true }));
  // One clock: the engine's, kept with its executions, is the one every function's Date reads.
  const clock = LocalClock.open(sfnDataDir, (message) => progress(`Step Functions API: ${message}`));

  const lambda = new LambdaRunner({
    template: options.template,
    region,
    codeRoot: options.codeRoot,
    endpoints: { ...options.endpoints, sfn: `http://127.0.0.1:${options.sfnPort}` },
    xray: options.xray,
    parameterOverrides: options.parameterOverrides,
    onLog: options.onFunctionLog,
    clock,
  });
  teardown.add('Lambda runner', () => lambda.close());
  progress(`Lambda runner ready: ${lambda.functionNames.length} functions`);

  const sfnApi = await startSfnApiServer({
    port: options.sfnPort,
    region,
    dataDir: sfnDataDir,
    lambda,
    endpoints: options.endpoints,
    mockConfigPath: options.mockConfigPath,
    stepFunctionsLocalMode: options.stepFunctionsLocalMode,
    warn: (message) => progress(`Step Functions API: ${message}`),
    faults: lambda.faults,
    clock,
  });
  teardown.add('Step Functions API', () => sfnApi.close());
  return { lambda, sfnApi };
}

export interface ApiOptions {
  template: Template;
  port: number;
  /** Where staff sign in, and the pools whose tokens the authorizers verify. */
  cognito?: Required<SignInConfig>;
  userPools: LocalUserPool[];
  webRoot: string;
  lambda: LambdaRunner;
  sfnApi: SfnApiServer;
  xray: XRayCollector;
  urls: { sfn: string; dynamodb: string; ses: string; cognito: string };
  /** What GET /_local/health answers. */
  health: () => Promise<HealthReport>;
  onApiLog?: (line: string) => void;
}

/** A local service's URL on the loopback address it listens on (`localhost` may resolve to ::1 first). */
function loopback(url: string): string {
  return `http://127.0.0.1:${new URL(url).port}`;
}

/** The API Gateway emulator: the template's REST API, the web pages, and the /_local/ pages and endpoints. */
export async function startApi(options: ApiOptions, { region, teardown, progress }: StepContext): Promise<void> {
  const started = Date.now();
  const api = await startApiGateway({
    port: options.port,
    template: options.template,
    lambda: options.lambda,
    sfnEndpoint: options.sfnApi.url,
    cognito: options.cognito,
    userPools: options.userPools,
    webRoot: options.webRoot,
    region,
    health: options.health,
    traces: () => options.xray.getTraces(),
    // The dashboards read the Step Functions API's /_local/ endpoints and the outbox on the API's own origin.
    localServices: { sfn: loopback(options.urls.sfn), ses: loopback(options.urls.ses) },
    pageConfig: {
      services: [
        { name: 'Step Functions API', url: options.urls.sfn },
        { name: 'DynamoDB Local', url: options.urls.dynamodb },
        { name: 'SES capture (outbox viewer)', url: options.urls.ses },
        { name: 'Cognito (staff sign-in)', url: options.urls.cognito },
      ],
    },
    log: options.onApiLog ?? (() => undefined),
  });
  teardown.add('API Gateway', () => api.close());
  progress(`API Gateway and web pages ready in ${seconds(started)}`);
}
