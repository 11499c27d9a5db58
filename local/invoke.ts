/**
 * `npm run invoke -- <FunctionLogicalId> [-e events/<file>.json] [-n events/env.json]`: runs one function once with
 * that event and its template environment, like `sam local invoke`, the env-vars file (sam local invoke's format,
 * local/env-vars-file.ts) giving values to the template's variables. The result goes to stdout, the function's logs
 * to stderr; the exit status is 1 when the function fails, 2 for a usage mistake.
 *
 * It uses the local DynamoDB and SES capture of a running `npm start` when they answer on their ports, and
 * otherwise starts them itself (on the same ports and the same .local data) for the length of the invocation.
 */
import path from 'node:path';
import { buildFunction } from '../scripts/lib/build-functions';
import { FUNCTIONS_OUT } from '../scripts/lib/build-project';
import { esbuildFunctions } from '../scripts/lib/esbuild-options';
import { LOCAL_REGION, portsFromEnvironment, stateDirFromEnvironment } from './cli-config';
import { parseCommandLine, USAGE, type Invocation } from './invoke-command-line';
import { LambdaRunner } from './lambda-runner';
import { declaredVariableNames } from './lambda-runner/function-config';
import { PidFiles } from './pids';
import { provisionDynamoDb } from './provisioning/dynamodb';
import { tableDefinitions } from './provisioning/tables';
import { answersAsDynamoDb, dynamoDbClient, startDynamoDbLocal } from './services/dynamodb-local';
import { answersAsSesCapture, startSesCapture } from './services/ses-capture';
import type { LocalService } from './services/service';
import { IntrinsicResolver } from './template/intrinsics';
import { loadTemplate, PROJECT_ROOT, type Template } from './template/load';

/** DynamoDB Local and the SES capture: those already running (npm start) or started here until the invocation ends. */
async function localServices(
  template: Template,
  ports: ReturnType<typeof portsFromEnvironment>,
  report: (line: string) => void,
) {
  const stateDir = stateDirFromEnvironment();
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

async function main(): Promise<number> {
  const report = (line: string) => process.stderr.write(`${line}\n`);
  let template: Template;
  let invocation: Invocation;
  let ports: ReturnType<typeof portsFromEnvironment>;
  try {
    template = loadTemplate();
    invocation = parseCommandLine(
      process.argv.slice(2),
      declaredVariableNames(template),
      process.env.INIT_CWD ?? process.cwd(),
    );
    ports = portsFromEnvironment();
  } catch (error) {
    report(`npm run invoke: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }

  // Like sam local invoke after sam build: the function runs from its bundle, built with its template settings.
  const buildable = esbuildFunctions(template, PROJECT_ROOT).find((fn) => fn.logicalId === invocation.functionId);
  if (buildable) await buildFunction(buildable, FUNCTIONS_OUT);
  else
    report(
      `${invocation.functionId} has no esbuild Metadata: running the bundle already in ${path.relative(PROJECT_ROOT, FUNCTIONS_OUT)}`,
    );

  const services = await localServices(template, ports, report);
  const runner = new LambdaRunner({
    template,
    region: LOCAL_REGION,
    endpoints: services.endpoints,
    parameterOverrides: { TestingCentreUrl: `http://localhost:${ports.api}/testcentre/` },
    environmentOverrides: { [invocation.functionId]: invocation.environment },
  });
  try {
    const result = await runner.invoke(invocation.functionId, invocation.event);
    if (result.logs) process.stderr.write(result.logs);
    process.stdout.write(`${JSON.stringify(result.payload, null, 2)}\n`);
    return result.functionError ? 1 : 0;
  } finally {
    runner.close();
    await services.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`npm run invoke: ${error.message}\n`);
    process.exit(1);
  },
);
