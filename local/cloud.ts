/**
 * The local cloud: every part of the offline runtime, started in dependency order and stopped in reverse. Its three
 * steps are in local/cloud/: start the services (services.ts), provision them from the template (provision.ts),
 * start the APIs and wire them (apis.ts); startLocalCloud composes them, and stop() (or a failure half-way) undoes
 * whatever was started (lifecycle.ts).
 */
import path from 'node:path';
import { startApi, startStepFunctions } from './cloud/apis';
import { LocalEventRules } from './events/rules';
import { seconds, Teardown } from './cloud/lifecycle';
import {
  planFromTemplate,
  provisionStateMachines,
  provisionStaffPool,
  provisionTables,
  stateMachineProblems,
  tableProblems,
} from './cloud/provision';
import { claimStateDir, startServices } from './cloud/services';
import type { SignInConfig } from '../web/shared/app-config';
import type { LambdaRunner } from './lambda-runner';
import { provisionDynamoDb } from './provisioning/dynamodb';
import type { ServiceControl } from './services/restartable-service';
import { DEFAULT_TEMPLATE, PROJECT_ROOT, type Template } from './template/load';
import type { Trace } from './xray/collector';

export interface LocalCloudPorts {
  api: number;
  sfn: number;
  dynamodb: number;
  ses: number;
  cognito: number;
}

/** The contract's password of the local staff (admin@example.com, agent@example.com) unless LOCAL_STAFF_PASSWORD. */
export const DEFAULT_STAFF_PASSWORD = 'Local-dev-password-1';

export interface LocalCloudOptions {
  ports: LocalCloudPorts;
  /** The local staff's password (LOCAL_STAFF_PASSWORD; default Local-dev-password-1). */
  staffPassword?: string;
  region?: string;
  /** Where state, pid files and data live (default .local). */
  stateDir?: string;
  /** Keep state across restarts (default). Without it DynamoDB runs -inMemory and nothing outlives stop(): for tests. */
  persist?: boolean;
  /** Start from empty: stateDir is wiped (after stopping whatever a previous run left behind). */
  fresh?: boolean;
  templateFile?: string;
  /** Built function bundles (default dist/functions). */
  codeRoot?: string;
  /** Built web pages (default dist/web). */
  webRoot?: string;
  /** SFN_MOCK_CONFIG */
  mockConfigPath?: string;
  /**
   * Step Functions Local mode (SFN_LOCAL_MODE, local/sfn-api/sfn-local-mode.ts): the Step Functions API starts with
   * no state machine and keeps none across restarts, as Step Functions Local does, and names history events as it.
   */
  stepFunctionsLocalMode?: boolean;
  /** Builds the functions and pages; runs while the services start, and the functions wait for it. */
  build?: () => Promise<void>;
  /** Start-up progress, one line per step. */
  progress?: (message: string) => void;
  /** Each line a function writes. */
  onFunctionLog?: (functionName: string, line: string) => void;
  /** One line per API request. */
  onApiLog?: (line: string) => void;
}

export interface LocalCloudUrls {
  api: string;
  sfn: string;
  dynamodb: string;
  ses: string;
  cognito: string;
  /** The X-Ray collector's UDP address (host:port). */
  xrayDaemon: string;
}

/** What `GET /_local/health` reports: ok only when every part is up and every table exists. */
export type HealthStatus = {
  ok: boolean;
  problems?: string[];
};

export interface LocalCloud {
  readonly urls: LocalCloudUrls;
  readonly region: string;
  /** Where staff sign in locally: what GET /_local/cognito answers (undefined when the template has no user pool). */
  readonly cognito?: Required<SignInConfig>;
  readonly template: Template;
  readonly lambda: LambdaRunner;
  /** State machine ARNs by name (the template logical id). */
  readonly stateMachines: Record<string, string>;
  /**
   * The services that can be stopped and started again while the rest keeps running (same port, same data when
   * persisting): to rehearse an outage. In memory (persist: false), a stopped DynamoDB Local comes back empty.
   * A service stopped here stays stopped until started here; one whose process dies by itself is restarted.
   */
  readonly services: { dynamodb: ServiceControl; ses: ServiceControl; cognito: ServiceControl };
  health(): Promise<HealthStatus>;
  getTraces(): Trace[];
  stop(): Promise<void>;
}

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const progress = options.progress ?? (() => undefined);
  const region = options.region ?? 'us-east-1';
  const persist = options.persist ?? true;
  const stateDir = options.stateDir ?? path.join(PROJECT_ROOT, '.local');
  const urls: LocalCloudUrls = {
    api: `http://localhost:${options.ports.api}`,
    sfn: `http://localhost:${options.ports.sfn}`,
    dynamodb: `http://localhost:${options.ports.dynamodb}`,
    ses: `http://localhost:${options.ports.ses}`,
    cognito: `http://localhost:${options.ports.cognito}`,
    xrayDaemon: '',
  };
  // Before anything starts: a template that would roll back in AWS, or cannot be made locally, starts nothing.
  const plan = planFromTemplate(options.templateFile ?? DEFAULT_TEMPLATE, region, urls.api);

  const teardown = new Teardown();
  const step = { region, teardown, progress };
  const servicesOptions = {
    ports: options.ports,
    stateDir,
    persist,
    fresh: options.fresh ?? false,
    teardown,
    progress,
  };
  const pidFiles = await claimStateDir(servicesOptions);

  // The build runs while the services start (DynamoDB Local's JVM takes seconds); the functions wait for both.
  const buildStarted = Date.now();
  if (options.build) progress('Building the functions and the web pages...');
  const building = options.build?.();
  building?.catch(() => undefined); // its failure is reported where it is awaited, not as an unhandled rejection

  try {
    const services = await startServices(servicesOptions, pidFiles);
    const { dynamodb, ses, cognito, xray } = services;
    urls.xrayDaemon = xray.address;
    const ddb = await provisionTables(plan, dynamodb.endpoint, { ...step, startedAt: services.startedAt });
    // From here on a service whose process dies is reported and started again (health answers 503 meanwhile);
    // a DynamoDB Local started again gets the template's tables and rooms back if it lost them (in memory).
    dynamodb.supervise({ report: progress, recover: () => provisionDynamoDb(ddb, plan.tables).then(() => undefined) });
    ses.supervise({ report: progress });
    // Its pools live in its data folder, which outlives a crash of its process: nothing to recover.
    cognito.supervise({ report: progress });
    const staffPool = await provisionStaffPool(
      plan,
      cognito.endpoint,
      options.staffPassword ?? DEFAULT_STAFF_PASSWORD,
      step,
    );
    const signIn = staffPool && {
      endpoint: urls.cognito,
      region,
      userPoolId: staffPool.userPoolId,
      clientId: staffPool.clientId,
    };

    if (building) {
      await building;
      progress(`Built in ${seconds(buildStarted)}`);
    }

    const sfnStarted = Date.now();
    const { lambda, sfnApi } = await startStepFunctions(
      {
        template: plan.template,
        parameterOverrides: plan.parameterOverrides,
        sfnPort: options.ports.sfn,
        endpoints: { dynamodb: dynamodb.endpoint, ses: ses.endpoint },
        xray,
        codeRoot: options.codeRoot,
        // Step Functions Local keeps nothing across restarts: in its mode the executions live in a temporary folder.
        dataDir: persist && !options.stepFunctionsLocalMode ? path.join(stateDir, 'sfn') : undefined,
        mockConfigPath: options.mockConfigPath,
        stepFunctionsLocalMode: options.stepFunctionsLocalMode,
        onFunctionLog: options.onFunctionLog,
      },
      step,
    );
    // A STANDARD execution's end goes to the template's EventBridge rules, as Step Functions puts it on the default
    // event bus (a stopped plagiarism run is noticed that way: template.yaml PlagiarismExecutionStoppedRule).
    const eventRules = LocalEventRules.fromTemplate(
      plan.template,
      { region, parameterOverrides: plan.parameterOverrides },
      lambda,
      progress,
    );
    sfnApi.onExecutionStatusChange((event) => void eventRules.publish(event));
    teardown.add('EventBridge rules', () => eventRules.drain());
    // Step Functions Local mode: like Step Functions Local, the API starts with no state machine at all.
    const provisioned = options.stepFunctionsLocalMode
      ? undefined
      : await provisionStateMachines(plan, sfnApi.url, step);
    const stateMachines = provisioned?.arns ?? {};
    progress(
      `Step Functions API ready in ${seconds(sfnStarted)}: ${
        provisioned
          ? Object.keys(stateMachines).join(', ')
          : 'Step Functions Local mode, no state machines (CreateStateMachine makes them; nothing is kept at stop)'
      }`,
    );

    const health = async (): Promise<HealthStatus> => {
      const problems: string[] = [];
      if (!(await dynamodb.healthy())) problems.push('DynamoDB Local does not answer');
      else problems.push(...(await tableProblems(plan, ddb)));
      if (!(await ses.healthy())) problems.push('the SES capture does not answer');
      if (!(await cognito.healthy())) problems.push('the Cognito service does not answer');
      if (provisioned) problems.push(...(await stateMachineProblems(plan, provisioned.sfn)));
      return problems.length === 0 ? { ok: true } : { ok: false, problems };
    };
    await startApi(
      {
        template: plan.template,
        port: options.ports.api,
        cognito: signIn,
        userPools: staffPool
          ? [
              {
                logicalId: staffPool.logicalId,
                issuer: `${urls.cognito}/${staffPool.userPoolId}`,
                clientIds: [staffPool.clientId],
                jwksUrl: `${cognito.endpoint}/${staffPool.userPoolId}/.well-known/jwks.json`,
              },
            ]
          : [],
        webRoot: options.webRoot ?? path.join(PROJECT_ROOT, 'dist', 'web'),
        lambda,
        sfnApi,
        xray,
        urls,
        health,
        onApiLog: options.onApiLog,
      },
      step,
    );

    return {
      urls,
      region,
      cognito: signIn,
      template: plan.template,
      lambda,
      stateMachines,
      services: { dynamodb, ses, cognito },
      health,
      getTraces: () => xray.getTraces(),
      stop: () => teardown.run(progress),
    };
  } catch (error) {
    await teardown.run(progress);
    throw error;
  }
}
