/**
 * `npm run invoke`'s work (local/invoke.ts is its command): the arguments checked against the template, the
 * function built, the local services it needs found or started, the example records its event needs made, the
 * function invoked once, and everything started stopped again.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { buildFunction } from '../../scripts/lib/build-functions';
import { FUNCTIONS_OUT } from '../../scripts/lib/build-project';
import { esbuildFunctions } from '../../scripts/lib/esbuild-options';
import { LOCAL_REGION, portsFromEnvironment, stateDirFromEnvironment, UsageError } from '../cli-config';
import { parseInvokeArguments, USAGE, type InvokeArguments } from '../invoke-command-line';
import {
  describeReceived,
  isCustomResourceRequest,
  startResponseReceiver,
  type ResponseReceiver,
} from './cloudformation-responses';
import { ensureExampleRecords } from './example-records';
import { InvokeError, resolveInvocation, type Invocation } from './invocation';
import { LambdaRunner } from '../lambda-runner';
import { PidFiles } from '../pids';
import { provisionDynamoDb } from '../provisioning/dynamodb';
import { tableDefinitions } from '../provisioning/tables';
import { answersAsDynamoDb, dynamoDbClient, startDynamoDbLocal } from '../services/dynamodb-local';
import { answersAsSesCapture, startSesCapture } from '../services/ses-capture';
import type { LocalService } from '../services/service';
import { IntrinsicResolver } from '../template/intrinsics';
import { LocalClock } from '../sfn-api/local-clock';
import { DEFAULT_TEMPLATE, loadTemplate, PROJECT_ROOT, type Template } from '../template/load';

/** DynamoDB Local and the SES capture: those already running (npm start) or started here until the invocation ends. */
async function localServices(
  template: Template,
  ports: ReturnType<typeof portsFromEnvironment>,
  stateDir: string,
  report: (line: string) => void,
) {
  const pidFiles = new PidFiles(path.join(stateDir, 'pids'));
  const started: Array<{ names: string[]; service: LocalService }> = [];
  const record = (name: string, service: LocalService) => {
    started.push({ names: pidFiles.recordAll(name, service.pids), service });
  };
  const stop = async () => {
    for (const { names, service } of started.reverse()) {
      await service.stop();
      for (const name of names) pidFiles.remove(name);
    }
  };
  try {
    let dynamodb = `http://127.0.0.1:${ports.dynamodb}`;
    if (await answersAsDynamoDb(dynamodb)) {
      report(`Using the DynamoDB running at ${dynamodb}`);
    } else {
      report(`Starting DynamoDB Local on port ${ports.dynamodb}...`);
      const service = await startDynamoDbLocal({ port: ports.dynamodb, dataDir: path.join(stateDir, 'dynamodb') });
      record('invoke-dynamodb', service);
      dynamodb = service.endpoint;
      const client = dynamoDbClient(dynamodb);
      try {
        await provisionDynamoDb(
          client,
          tableDefinitions(template, new IntrinsicResolver(template, { region: LOCAL_REGION })),
        );
      } finally {
        client.destroy();
      }
    }
    let ses = `http://127.0.0.1:${ports.ses}`;
    if (await answersAsSesCapture(ses)) {
      report(`Using the SES capture running at ${ses}`);
    } else {
      report(`Starting the SES capture on port ${ports.ses}...`);
      const service = await startSesCapture({ port: ports.ses, storeFile: path.join(stateDir, 'ses', 'emails.jsonl') });
      record('invoke-ses', service);
      ses = service.endpoint;
    }
    return { endpoints: { dynamodb, ses, sfn: `http://127.0.0.1:${ports.sfn}` }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Where the result and the logs go: stdout and stderr, or both to the --log-file (as SAM does). */
interface Output {
  result(text: string): void;
  logs(text: string): void;
  close(): Promise<void>;
}

function openOutput(logFile: string | undefined, io: InvokeIo): Promise<Output> {
  if (logFile === undefined) {
    return Promise.resolve({ result: io.stdout, logs: io.stderr, close: async () => undefined });
  }
  const { cwd } = io;
  return new Promise((resolve, reject) => {
    const stream: WriteStream = createWriteStream(path.resolve(cwd, logFile));
    stream.once('error', (error) => reject(new InvokeError(`cannot write the log file ${logFile}: ${error.message}`)));
    stream.once('open', () =>
      resolve({
        result: (text) => stream.write(text),
        logs: (text) => stream.write(text),
        close: () => new Promise((done) => stream.end(done)),
      }),
    );
  });
}

/** Where the command reads and writes: the process's own streams, or a test's. */
export interface InvokeIo {
  /** Where relative paths are read from: the caller's directory (INIT_CWD under npm run). */
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
  stdin(): string;
  /** Bundles already built with the template's settings, used as they are (tests share one build); default: build. */
  prebuiltFunctions?: string;
}

/** The command: its exit status once the invocation is over and everything it started is stopped. */
export async function runInvoke(argv: string[], io: InvokeIo): Promise<number> {
  const report = (line: string) => io.stderr(`${line}\n`);
  const { cwd } = io;
  let args: InvokeArguments;
  let templateFile: string;
  let template: Template;
  let invocation: Invocation;
  let ports: ReturnType<typeof portsFromEnvironment>;
  try {
    args = parseInvokeArguments(argv);
    if (args.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    templateFile = args.template === undefined ? DEFAULT_TEMPLATE : path.resolve(cwd, args.template);
    template = loadTemplate(templateFile);
    invocation = resolveInvocation(args, template, cwd, io.stdin);
    ports = portsFromEnvironment(io.env);
  } catch (error) {
    if (error instanceof UsageError) {
      report(`Usage error: ${error.message}\nTry 'npm run invoke -- --help' for help.`);
      return 2;
    }
    report(`Error: ${(error as Error).message}`);
    return 1;
  }

  // Like sam local invoke after sam build: the function runs from its bundle, built with its template settings.
  const build = async (functionId: string) => {
    if (io.prebuiltFunctions) return;
    const buildable = esbuildFunctions(template, path.dirname(templateFile)).find((fn) => fn.logicalId === functionId);
    if (buildable) await buildFunction(buildable, FUNCTIONS_OUT);
    else
      report(
        `${functionId} has no esbuild Metadata: running the bundle already in ${path.relative(PROJECT_ROOT, FUNCTIONS_OUT)}`,
      );
  };
  await build(invocation.functionId);

  const stateDir = stateDirFromEnvironment(io.env);
  const output = await openOutput(args.logFile, io);
  const services = await localServices(template, ports, stateDir, report);
  const runner = new LambdaRunner({
    template,
    region: LOCAL_REGION,
    codeRoot: io.prebuiltFunctions,
    endpoints: services.endpoints,
    parameterOverrides: {
      TestingCentreUrl: `http://localhost:${ports.api}/testcentre/`,
      ...invocation.parameterOverrides,
    },
    environmentOverrides: { [invocation.functionId]: invocation.environment },
    // The local cloud's clock, as POST /_local/clock left it (kept with the executions): the function's Date reads it.
    clock: LocalClock.open(path.join(stateDir, 'sfn'), report),
  });
  let receiver: ResponseReceiver | undefined;
  try {
    // The example events' records (example-records.ts), made if this event needs them and they are missing.
    await ensureExampleRecords(invocation.functionId, invocation.event, {
      dynamodbEndpoint: services.endpoints.dynamodb,
      lambda: runner,
      build,
      report,
    });
    let event = invocation.event;
    if (isCustomResourceRequest(event)) {
      // A custom resource request: its ResponseURL (S3, out of reach offline) is answered here, as CloudFormation's.
      receiver = await startResponseReceiver(event, path.join(stateDir, 'cloudformation', 'responses.jsonl'));
      event = receiver.event;
      report(
        `The ResponseURL is answered by a local endpoint (${new URL(receiver.event.ResponseURL).origin}) that shows what CloudFormation would receive`,
      );
    }
    const result = await runner.invoke(invocation.functionId, event);
    if (result.logs) output.logs(result.logs);
    if (receiver) for (const line of describeReceived(receiver.received(), invocation.functionId)) report(line);
    // As sam local invoke: the function's answer, its error object too, and exit status 0 either way.
    output.result(`${JSON.stringify(result.payload)}\n`);
    return 0;
  } finally {
    await receiver?.close();
    runner.close();
    await services.stop();
    await output.close();
  }
}
