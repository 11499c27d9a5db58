/**
 * The Step Functions API of the local cloud (docs/ARCHITECTURE.md "The offline runtime's seams"): our engine
 * behind AWS JSON 1.0, so `@aws-sdk/client-sfn`, the AWS CLI (`--endpoint-url`) and Step Functions
 * Local-style test suites (SFN_MOCK_CONFIG, `<arn>#<TestCase>`) work against it.
 *
 * Durability: state machines and every history event are appended to `dataDir` as they happen, so a crash
 * (even kill -9) loses nothing that was answered; at start, RUNNING executions are resumed by the engine
 * from their histories, and their task tokens and timers carry on. `close()` therefore writes nothing:
 * closing is indistinguishable from a crash, and running executions continue at the next start.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Engine } from '@serverless-workflows/sfn-engine';
import type { LambdaInvoker } from '../lambda-runner/index';
import type { SfnApiContext } from './context';
import { DetachableClock } from './detachable-clock';
import { SfnApiError } from './errors';
import { Executions } from './executions';
import { LocalClock, latestRecordedTime } from './local-clock';
import { requestTimeouts } from '../request-limits';
import { parseJsonObject, readBody, sendError, sendJson } from './http/aws-json';
import { handleLocalRequest } from './http/local-endpoints';
import { FAULTS_PATH, handleFaultRequest } from './http/fault-endpoints';
import { ApiFaults } from './api-faults';
import { executionStatusChangeEvent, type ExecutionStatusChangeEvent } from './status-change-events';
import type { LambdaFaults } from '../lambda-runner/faults';
import { LocalIntegrations } from './integrations/index';
import { MockConfigSource, type MockTestCase } from './mock-config/mock-config';
import { MockedIntegrations } from './mock-config/mocked-integrations';
import { describeMockConfig } from './mock-config/describe';
import { startedLine } from './sfn-local-mode';
import type {
  ActivityRecord,
  ExecutionMeta,
  MapRunRecord,
  StateMachineAliasRecord,
  StateMachineVersionRecord,
} from './model';
import { MapRuns } from './map-runs';
import { isServedOperation, operations } from './operations/index';
import { StateMachines } from './state-machines';
import { ExecutionStore } from './store/execution-store';
import { StateMachineStore } from './store/state-machine-store';
import { KeyedStore } from './store/keyed-store';
import { Activities } from './activities';
import { StateMachineAliases } from './state-machine-aliases';
import { StateMachineVersions } from './state-machine-versions';
import { validateRequest } from './validate-request';
import { formatTraceHeader } from '../xray/trace-header';
import { localRequestRefusal, sendRefusal } from '../request-guard';

export interface SfnApiServerOptions {
  /** 0 picks a free port */
  port: number;
  region: string;
  /** where state machines and histories are kept, e.g. `.local/sfn` */
  dataDir: string;
  lambda: LambdaInvoker;
  endpoints: { dynamodb: string; ses: string };
  /** a Step Functions Local mock configuration file (SFN_MOCK_CONFIG) */
  mockConfigPath?: string;
  /** where start-up problems are reported (default: console.warn) */
  warn?(message: string): void;
  /** the Lambda runner's fault injection, served at /_local/faults (local only) */
  faults?: LambdaFaults;
  /**
   * The clock, when the Lambda runner shares it (local/cloud/apis.ts): opened on this dataDir. Without it the server
   * opens its own there (its offset kept in `<dataDir>/clock.json`).
   */
  clock?: LocalClock;
  /**
   * How long a client may take to send a whole request (default 30 s, local/request-limits.ts): an unfinished
   * upload is answered 408 and its connection closed, so a stalled body cannot hold memory.
   */
  requestTimeoutMs?: number;
  /**
   * The largest history file a start reads back (default 512 MiB, MAX_HISTORY_FILE_BYTES): a bigger one is listed
   * without its history, and a running execution is ended FAILED before its file gets there. Tests make it small.
   */
  maxHistoryFileBytes?: number;
  /** How an alias with two versions picks one: a number in [0, 1) per start (default Math.random; tests fix it). */
  random?: () => number;
  /**
   * Step Functions Local mode (sfn-local-mode.ts): history events name `aws-sdk:` tasks as Step Functions Local
   * does, and the start says "Starting server on port N" as it does. Off: AWS's behaviour.
   */
  stepFunctionsLocalMode?: boolean;
}

export interface SfnApiServer {
  url: string;
  port: number;
  /** the engine's clock: real time plus the offset `POST /_local/clock` moves, kept across restarts */
  clock: LocalClock;
  /**
   * Calls `listener` with the EventBridge event of every STANDARD execution that ends from now on ("Step Functions
   * Execution Status Change", as AWS puts it on the default event bus): the local cloud's rules (local/events/).
   */
  onExecutionStatusChange(listener: (event: ExecutionStatusChangeEvent) => void): void;
  close(): Promise<void>;
}

const accountId = '123456789012';
const targetPrefix = 'AWSStepFunctions.';

async function handleApiRequest(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  context: SfnApiContext,
  apiFaults: ApiFaults,
): Promise<void> {
  const target = request.headers['x-amz-target'];
  if (request.method !== 'POST' || typeof target !== 'string' || !target.startsWith(targetPrefix)) {
    throw new SfnApiError(
      'UnknownOperationException',
      'Expected a POST with the header X-Amz-Target: AWSStepFunctions.<Operation>',
    );
  }
  const operation = target.slice(targetPrefix.length);
  if (!isServedOperation(operation)) {
    throw new SfnApiError('UnknownOperationException', `Unknown operation: '${operation}'`);
  }
  const body = parseJsonObject(await readBody(request));
  validateRequest(operation, body);
  // A fault armed at /_local/faults for this operation: refused before it runs, or its answer lost after it ran.
  const fault = apiFaults.take(operation);
  if (fault?.when === 'before') throw fault.error;
  // Aborted when the client hangs up before its answer (GetActivityTask's long poll stops waiting).
  const hungUp = new AbortController();
  response.once('close', () => hungUp.abort(new Error('the client closed the connection')));
  const answer = (async () => operations[operation](context, body, hungUp.signal))();
  if (fault) {
    await answer.catch(() => undefined);
    throw fault.error;
  }
  sendJson(response, 200, await answer);
}

export async function startSfnApiServer(options: SfnApiServerOptions): Promise<SfnApiServer> {
  const warn = options.warn ?? ((message: string) => console.warn(`[sfn-api] ${message}`));
  const scope = { region: options.region, accountId };
  fs.mkdirSync(options.dataDir, { recursive: true });

  const systemClock = options.clock ?? LocalClock.open(options.dataDir, warn);
  const clock = new DetachableClock(systemClock);
  const stateMachineStore = new StateMachineStore(options.dataDir);
  const versionStore = new KeyedStore<StateMachineVersionRecord>(
    options.dataDir,
    'state-machine-versions.jsonl',
    'version',
    'stateMachineVersionArn',
  );
  const aliasStore = new KeyedStore<StateMachineAliasRecord>(
    options.dataDir,
    'state-machine-aliases.jsonl',
    'alias',
    'stateMachineAliasArn',
  );
  const activityStore = new KeyedStore<ActivityRecord>(options.dataDir, 'activities.jsonl', 'activity', 'activityArn');
  const mapRunStore = new KeyedStore<MapRunRecord>(options.dataDir, 'map-runs.jsonl', 'mapRun', 'mapRunArn');
  const keyedStores = [stateMachineStore, versionStore, aliasStore, activityStore, mapRunStore];
  const executionStore = new ExecutionStore(options.dataDir, options.maxHistoryFileBytes);
  const mockConfig = options.mockConfigPath ? new MockConfigSource(options.mockConfigPath) : undefined;

  let url = '';
  const realIntegrations = new LocalIntegrations({
    lambda: options.lambda,
    endpoints: { ...options.endpoints, sfn: () => url },
    region: options.region,
    now: () => clock.now(),
    traceHeaderOf: (executionArn) => {
      const traceId = executions.get(executionArn)?.meta.traceId;
      return traceId === undefined ? undefined : formatTraceHeader({ root: traceId, sampled: true });
    },
  });
  // Engine and Executions refer to each other (hooks / start): the engine is created right below.
  let engine: Engine;
  const statusListeners: Array<(event: ExecutionStatusChangeEvent) => void> = [];
  const executions = new Executions(
    executionStore,
    () => engine,
    (info, meta) => {
      if (meta.type !== 'STANDARD' || statusListeners.length === 0) return;
      const event = executionStatusChangeEvent(info, meta, scope);
      for (const listener of statusListeners) {
        try {
          listener(event);
        } catch (error) {
          warn(`an execution status change listener failed: ${(error as Error).message}`);
        }
      }
    },
  );
  const activities = new Activities(scope, activityStore, clock, (taskToken, workerName) =>
    engine.startActivityTask(taskToken, workerName),
  );
  const mapRuns = new MapRuns(
    scope,
    mapRunStore,
    executions,
    () => engine,
    () => clock.now(),
  );
  engine = new Engine({
    activities,
    mapRuns,
    clock,
    integrations: new MockedIntegrations(
      realIntegrations,
      (executionArn) => executions.testCaseOf(executionArn),
      (taskToken, output) => {
        try {
          engine.sendTaskSuccess(taskToken, output);
        } catch (error) {
          warn(`could not complete a mocked callback task: ${(error as Error).message}`);
        }
      },
    ),
    region: options.region,
    accountId,
    onEvent: (executionArn, event) => executions.recordEvent(executionArn, event),
    onClose: (info) => executions.recordClose(info),
  });
  const stateMachines = new StateMachines(scope, stateMachineStore, () => clock.now());
  const versions = new StateMachineVersions(scope, stateMachines, versionStore, () => clock.now());
  const aliases = new StateMachineAliases(versions, aliasStore, () => clock.now());
  const context: SfnApiContext = {
    scope,
    clock,
    engine,
    stateMachines,
    executions,
    mockConfig,
    versions,
    aliases,
    activities,
    mapRuns,
    random: options.random ?? Math.random,
    stepFunctionsLocalMode: options.stepFunctionsLocalMode,
  };
  const apiFaults = new ApiFaults(isServedOperation);

  if (mockConfig) {
    try {
      warn(describeMockConfig(mockConfig.current()));
    } catch (error) {
      warn(`${(error as Error).message} (executions with a test case will be refused until it is fixed)`);
    }
  }

  const server = http.createServer(requestTimeouts(options.requestTimeoutMs), (request, response) => {
    const localPath = request.url?.startsWith('/_local/') ? request.url.split('?')[0].replace(/\/+$/, '') : undefined;
    // No web page may reach it (local/request-guard.ts): a foreign Host, another origin (preflights included), and
    // on /_local/ a state-changing call that is not JSON are refused. The SDK's sync- host prefix is allowed.
    const refusal = localRequestRefusal(request, {
      hostPrefixes: ['sync-'],
      requireJson: localPath !== undefined,
    });
    if (refusal) {
      // The AWS SDK names the error from this header (AWS JSON 1.0), as it names the API's own.
      return sendRefusal(response, refusal, localPath === undefined ? { 'x-amzn-ErrorType': refusal.error } : {});
    }
    const handled =
      localPath === FAULTS_PATH
        ? handleFaultRequest(request, response, options.faults, apiFaults)
        : localPath !== undefined
          ? handleLocalRequest(request, response, context, systemClock)
          : handleApiRequest(request, response, context, apiFaults);
    handled.catch((error: unknown) => {
      if (response.headersSent) return;
      if (error instanceof SfnApiError) return sendError(response, error);
      warn(`internal error: ${(error as Error).stack ?? String(error)}`);
      sendError(response, new SfnApiError('InternalFailure', (error as Error).message ?? String(error), 500));
    });
  });

  // Read everything from disk before listening: a store that cannot be read stops the start cleanly.
  stateMachines.restore(stateMachineStore.load());
  versions.restore(versionStore.load());
  aliases.restore(aliasStore.load());
  activities.restore(activityStore.load());
  mapRuns.restore(mapRunStore.load());
  const loaded = executionStore.load();
  // One line per file that could not be read whole: its execution is listed as it ended or FAILED, or skipped.
  for (const problem of loaded.problems) warn(problem.message);
  // Time never goes backwards across a restart: not behind anything the stored state has already seen.
  systemClock.notBefore(latestRecordedTime(stateMachines.list(), loaded.executions));

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Loopback only: its histories hold task tokens, and SendTaskSuccess needs no credential locally.
      server.listen(options.port, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    for (const store of keyedStores) store.detach();
    executionStore.detach();
    realIntegrations.close();
    throw new Error(
      `The Step Functions API cannot listen on port ${options.port} (set SFN_PORT to use another): ${(error as Error).message}`,
    );
  }
  const { port } = server.address() as AddressInfo;
  url = `http://localhost:${port}`;
  if (options.stepFunctionsLocalMode) warn(startedLine(port));

  // Resume once the URL is known (aws-sdk:sfn tasks call this server) and before the first request is read:
  // this continuation runs before the event loop polls for connections.
  const resolveTestCase = (meta: ExecutionMeta): MockTestCase | Error | undefined => {
    if (!meta.testCase) return undefined;
    try {
      if (!mockConfig)
        throw new Error(`the execution runs the mock test case '${meta.testCase}' but no mock config file is loaded`);
      return mockConfig.current().testCase(meta.stateMachineName, meta.testCase, meta.stateMachine.definition);
    } catch (error) {
      return error as Error;
    }
  };
  for (const problem of executions.restore(loaded.executions, resolveTestCase)) warn(problem);

  return {
    url,
    port,
    clock: systemClock,
    onExecutionStatusChange: (listener) => {
      statusListeners.push(listener);
    },
    close: async () => {
      for (const store of keyedStores) store.detach();
      executionStore.detach();
      clock.detach();
      realIntegrations.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
