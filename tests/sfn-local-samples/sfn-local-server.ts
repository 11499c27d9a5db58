/**
 * The Step Functions API alone in Step Functions Local mode, in its own process, as the container the vendored
 * samples start (amazon/aws-stepfunctions-local): what the Python sample's `testcontainers` stand-in
 * (python/testcontainers/) runs. Reads Step Functions Local's variables: SFN_MOCK_CONFIG (a file on this machine),
 * AWS_DEFAULT_REGION (us-east-1); PORT picks the port (default 0: a free one). Prints Step Functions Local's
 * "Starting server on port N" once it listens; SIGTERM stops it and removes its temporary state.
 *
 * No Lambda function exists here, as in a Step Functions Local started without LAMBDA_ENDPOINT: the samples
 * mock every task they run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LambdaServiceError } from '../../local/lambda-runner';
import { startSfnApiServer } from '../../local/sfn-api/server';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfn-local-mode-'));
const noFunctions = {
  invoke: async (functionName: string) => {
    throw new LambdaServiceError('ResourceNotFoundException', `Function not found: ${functionName}`, 404);
  },
};

startSfnApiServer({
  port: Number(process.env.PORT ?? 0),
  region: process.env.AWS_DEFAULT_REGION || 'us-east-1',
  dataDir,
  lambda: noFunctions,
  // No DynamoDB or SES either: a closed port makes an unmocked call fail at once.
  endpoints: { dynamodb: 'http://127.0.0.1:9', ses: 'http://127.0.0.1:9' },
  mockConfigPath: process.env.SFN_MOCK_CONFIG ? path.resolve(process.env.SFN_MOCK_CONFIG) : undefined,
  stepFunctionsLocalMode: true,
  warn: (line) => process.stdout.write(`${line}\n`),
}).then(
  (server) => {
    const stop = () =>
      void server.close().finally(() => {
        fs.rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      });
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  },
  (error: Error) => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
