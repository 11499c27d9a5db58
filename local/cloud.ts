/**
 * The local cloud: every part of the offline runtime, started in dependency order and stopped in reverse.
 * DynamoDB Local and the SES capture run as child processes with pid files under .local/pids, so that a run
 * killed with `kill -9` is cleaned up by the next one; everything else runs in this process.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LambdaRunner } from './lambda-runner';
import { refuseWhatAwsRefuses } from './template/aws-rules';
import { IntrinsicResolver } from './template/intrinsics';
import { PidFiles } from './pids';
import { seedRooms } from './provisioning/seed';
import { deployStateMachines, findStateMachineArn, stateMachineDefinitions } from './provisioning/state-machines';
import { ensureTables, missingTables, tableDefinitions } from './provisioning/tables';
import { dynamoDbClient, startDynamoDbLocal } from './services/dynamodb-local';
import { startSesCapture } from './services/ses-capture';
import type { LocalService } from './services/service';
import { RestartableService, type ServiceControl } from './services/restartable-service';
import { startApiGateway } from './apigw/server';
import { sfnClient } from './sfn-api/client';
import { startSfnApiServer, type SfnApiServer } from './sfn-api/server';
import { DEFAULT_TEMPLATE, loadTemplate, PROJECT_ROOT, type Template } from './template/load';
import { XRayCollector, type Trace } from './xray/collector';

export interface LocalCloudPorts {
  api: number;
  sfn: number;
  dynamodb: number;
  ses: number;
}

export interface LocalCloudOptions {
  ports: LocalCloudPorts;
  apiKey: string;
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
  readonly apiKey: string;
  readonly region: string;
  readonly template: Template;
  readonly lambda: LambdaRunner;
  /** State machine ARNs by name (the template logical id). */
  readonly stateMachines: Record<string, string>;
  /**
   * The services that can be stopped and started again while the rest keeps running (same port, same data when
   * persisting): to rehearse an outage. In memory (persist: false), a stopped DynamoDB Local comes back empty.
   */
  readonly services: { dynamodb: ServiceControl; ses: ServiceControl };
  health(): Promise<HealthStatus>;
  getTraces(): Trace[];
  stop(): Promise<void>;
}

const OWNER = 'local-cloud';
let running: LocalCloud | undefined;

/** The health of the local cloud running in this process (what `GET /_local/health` reports). */
export async function health(): Promise<HealthStatus> {
  return running ? running.health() : { ok: false, problems: ['the local cloud is not running'] };
}

/** The X-Ray traces the functions of the local cloud running in this process have sent, newest first. */
export function getTraces(): Trace[] {
  return running?.getTraces() ?? [];
}

/** Everything started so far, stopped in reverse order (on failure half-way, and by stop()). */
class Teardown {
  private readonly steps: Array<{ name: string; run: () => Promise<void> | void }> = [];

  add(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }

  async run(report: (message: string) => void): Promise<void> {
    for (const step of this.steps.reverse()) {
      try {
        await step.run();
      } catch (error) {
        report(`stopping ${step.name} failed: ${(error as Error).message}`);
      }
    }
    this.steps.length = 0;
  }
}

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const progress = options.progress ?? (() => undefined);
  const region = options.region ?? 'us-east-1';
  const persist = options.persist ?? true;
  const stateDir = options.stateDir ?? path.join(PROJECT_ROOT, '.local');
  const templateFile = options.templateFile ?? DEFAULT_TEMPLATE;
  const template = loadTemplate(templateFile);
  // Before anything starts: what would roll back in AWS does not run locally either.
  refuseWhatAwsRefuses(template, path.dirname(templateFile), path.relative(process.cwd(), templateFile) || templateFile);
  const urls: LocalCloudUrls = {
    api: `http://localhost:${options.ports.api}`,
    sfn: `http://localhost:${options.ports.sfn}`,
    dynamodb: `http://localhost:${options.ports.dynamodb}`,
    ses: `http://localhost:${options.ports.ses}`,
    xrayDaemon: '',
  };
  // The exam emails link to the Testing Centre page this local cloud serves.
  const parameterOverrides = { TestingCentreUrl: `${urls.api}/testcentre/` };
  const resolver = new IntrinsicResolver(template, { region, parameterOverrides });
  const tables = tableDefinitions(template, resolver);
  const machines = stateMachineDefinitions(template, resolver, path.dirname(templateFile));

  const pidFiles = new PidFiles(path.join(stateDir, 'pids'));
  const leftovers = await pidFiles.stopLeftovers([OWNER]);
  if (leftovers.length > 0) progress(`Stopped ${leftovers.length} process(es) a previous run left behind: ${leftovers.map((record) => `${record.name} (pid ${record.pid})`).join(', ')}`);
  if (options.fresh) {
    rmSync(stateDir, { recursive: true, force: true });
    progress(`--fresh: removed ${path.relative(process.cwd(), stateDir) || stateDir}`);
  }
  mkdirSync(stateDir, { recursive: true });
  pidFiles.record(OWNER, process.pid);

  const teardown = new Teardown();
  teardown.add('pid files', () => pidFiles.remove(OWNER));
  const startService = async (name: string, port: number, launch: () => Promise<LocalService>): Promise<RestartableService> => {
    let recorded: string[] = [];
    const service = new RestartableService(name, `http://127.0.0.1:${port}`, launch, {
      started: (launched) => (recorded = pidFiles.recordAll(name, launched.pids)),
      stopped: () => recorded.forEach((pidName) => pidFiles.remove(pidName)),
    });
    await service.start();
    teardown.add(name, () => service.stop());
    return service;
  };

  // The build runs while the services start (DynamoDB Local's JVM takes seconds); the functions wait for both.
  const buildStarted = Date.now();
  if (options.build) progress('Building the functions and the web pages...');
  const building = options.build?.();
  building?.catch(() => undefined); // its failure is reported where it is awaited, not as an unhandled rejection

  try {
    // The SES capture and the X-Ray collector start while DynamoDB Local's JVM does (it takes the longest).
    const started = Date.now();
    progress(`DynamoDB Local: starting on port ${options.ports.dynamodb}${persist ? ` (data in ${path.relative(process.cwd(), path.join(stateDir, 'dynamodb'))})` : ' (in memory)'}...`);
    const [dynamodb, ses, xray] = await allStarted([
      startService('dynamodb', options.ports.dynamodb, () => startDynamoDbLocal({ port: options.ports.dynamodb, dataDir: persist ? path.join(stateDir, 'dynamodb') : undefined })),
      startService('ses', options.ports.ses, () => startSesCapture({ port: options.ports.ses, storeFile: persist ? path.join(stateDir, 'ses', 'emails.jsonl') : undefined })).then((service) => {
        progress(`SES capture ready in ${seconds(started)}`);
        return service;
      }),
      XRayCollector.start().then((collector) => {
        teardown.add('X-Ray collector', () => collector.close());
        progress(`X-Ray collector listening on udp ${collector.address}`);
        return collector;
      }),
    ] as const);
    urls.xrayDaemon = xray.address;
    const ddb = dynamoDbClient(dynamodb.endpoint);
    teardown.add('DynamoDB client', () => ddb.destroy());
    const tableResult = await ensureTables(ddb, tables);
    const rooms = await seedRooms(ddb);
    progress(
      `DynamoDB Local ready in ${seconds(started)}: tables ${describeList('created', tableResult.created)}${describeList('kept', tableResult.existing)}; ${rooms} rooms seeded`,
    );
    for (const table of tableResult.mismatched) progress(`Warning: table ${table} has another key schema than template.yaml; run npm start -- --fresh to recreate it`);

    if (building) {
      await building;
      progress(`Built in ${seconds(buildStarted)}`);
    }

    const lambda = new LambdaRunner({
      template,
      region,
      codeRoot: options.codeRoot,
      endpoints: { dynamodb: dynamodb.endpoint, ses: ses.endpoint, sfn: `http://127.0.0.1:${options.ports.sfn}` },
      xray,
      parameterOverrides,
      onLog: options.onFunctionLog,
    });
    teardown.add('Lambda runner', () => lambda.close());
    progress(`Lambda runner ready: ${lambda.functionNames.length} functions`);

    let stepStarted = Date.now();
    const sfnDataDir = persist ? path.join(stateDir, 'sfn') : mkdtempSync(path.join(os.tmpdir(), 'local-cloud-sfn-'));
    if (!persist) teardown.add('Step Functions state', () => rmSync(sfnDataDir, { recursive: true, force: true }));
    const sfnApi: SfnApiServer = await startSfnApiServer({
      port: options.ports.sfn,
      region,
      dataDir: sfnDataDir,
      lambda,
      endpoints: { dynamodb: dynamodb.endpoint, ses: ses.endpoint },
      mockConfigPath: options.mockConfigPath,
      warn: (message) => progress(`Step Functions API: ${message}`),
      faults: lambda.faults,
    });
    teardown.add('Step Functions API', () => sfnApi.close());
    const sfn = sfnClient(sfnApi.url, region);
    teardown.add('Step Functions client', () => sfn.destroy());
    const stateMachines = await deployStateMachines(sfn, machines);
    progress(`Step Functions API ready in ${seconds(stepStarted)}: ${Object.keys(stateMachines).join(', ')}`);

    stepStarted = Date.now();
    const api = await startApiGateway({
      port: options.ports.api,
      template,
      lambda,
      sfnEndpoint: sfnApi.url,
      apiKey: options.apiKey,
      webRoot: options.webRoot ?? path.join(PROJECT_ROOT, 'dist', 'web'),
      region,
      health: () => cloud.health(),
      traces: () => xray.getTraces(),
      pageConfig: {
        sfnDashboardBase: sfnApi.url,
        outboxUrl: `${urls.ses}/store`,
        services: [
          { name: 'Step Functions API', url: urls.sfn },
          { name: 'DynamoDB Local', url: urls.dynamodb },
          { name: 'SES capture (outbox viewer)', url: urls.ses },
        ],
      },
      log: options.onApiLog ?? (() => undefined),
    });
    teardown.add('API Gateway', () => api.close());
    progress(`API Gateway and web pages ready in ${seconds(stepStarted)}`);

    const cloud: LocalCloud = {
      urls,
      apiKey: options.apiKey,
      region,
      template,
      lambda,
      stateMachines,
      services: { dynamodb, ses },
      health: async () => {
        const problems: string[] = [];
        if (!(await dynamodb.healthy())) problems.push('DynamoDB Local does not answer');
        else {
          const missing = await missingTables(ddb, tables).catch(() => tables.map((table) => table.TableName!));
          if (missing.length > 0) problems.push(`missing tables: ${missing.join(', ')}`);
        }
        if (!(await ses.healthy())) problems.push('the SES capture does not answer');
        for (const machine of machines) {
          const arn = await findStateMachineArn(sfn, machine.name).catch(() => undefined);
          if (!arn) problems.push(`state machine ${machine.name} is not available`);
        }
        return problems.length === 0 ? { ok: true } : { ok: false, problems };
      },
      getTraces: () => xray.getTraces(),
      stop: async () => {
        if (running === cloud) running = undefined;
        await teardown.run(progress);
      },
    };
    running = cloud;
    return cloud;
  } catch (error) {
    await teardown.run(progress);
    throw error;
  }
}

/**
 * Like Promise.all, but settles only when every start has: whatever did start is in the teardown by then, so a
 * failure of one never leaves another running.
 */
async function allStarted<T extends readonly unknown[]>(starts: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(starts);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function describeList(label: string, names: string[]): string {
  return names.length > 0 ? `${label}: ${names.join(', ')} ` : '';
}
