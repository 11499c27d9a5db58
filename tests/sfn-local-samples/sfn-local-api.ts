/**
 * Our Step Functions API in Step Functions Local mode, as the vendored samples' stand-ins start it in place of the
 * amazon/aws-stepfunctions-local container: a temporary state folder (Step Functions Local keeps nothing), no Lambda
 * function (as without LAMBDA_ENDPOINT: the samples mock every task they run) and no DynamoDB or SES (a closed port:
 * an unmocked call fails at once).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LambdaServiceError } from '../../local/lambda-runner';
import { startSfnApiServer, type SfnApiServer } from '../../local/sfn-api/server';

export interface SfnLocalApi {
  server: SfnApiServer;
  /** Stops the server and removes its state. */
  stop(): Promise<void>;
}

export async function startSfnLocalApi(options: {
  port: number;
  region: string;
  mockConfigPath?: string;
  /** The server's lines, as the container's log. */
  log(line: string): void;
}): Promise<SfnLocalApi> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfn-local-mode-'));
  try {
    const server = await startSfnApiServer({
      port: options.port,
      region: options.region,
      dataDir,
      lambda: {
        invoke: async (name) => {
          throw new LambdaServiceError('ResourceNotFoundException', `Function not found: ${name}`, 404);
        },
      },
      endpoints: { dynamodb: 'http://127.0.0.1:9', ses: 'http://127.0.0.1:9' },
      mockConfigPath: options.mockConfigPath,
      stepFunctionsLocalMode: true,
      warn: options.log,
    });
    return {
      server,
      stop: async () => {
        await server.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
