import path from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { startServiceProcess, type LocalService } from './service';

export interface CognitoServiceOptions {
  port: number;
  /** Where the user pools are kept (across restarts when it is the local cloud's state folder). */
  dataDir: string;
  startTimeoutMs?: number;
}

const PROCESS_SCRIPT = path.join(__dirname, 'cognito-process.mts');

/** Whether the local Cognito service answers at the endpoint (an AWS JSON 1.1 call it answers without a pool). */
export async function answersAsCognito(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityProviderService.ListUserPools',
      },
      body: JSON.stringify({ MaxResults: 1 }),
      signal: AbortSignal.timeout(2000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** An SDK client of the local Cognito service (any credentials do: cognito-local checks none). */
export function cognitoClient(endpoint: string, region: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Starts cognito-local in its own process (cognito-process.mts) and waits until it answers. */
export async function startCognitoService(options: CognitoServiceOptions): Promise<LocalService> {
  return startServiceProcess({
    name: 'Cognito',
    subject: 'the local Cognito service',
    port: options.port,
    portVariable: 'COGNITO_PORT',
    script: PROCESS_SCRIPT,
    args: [String(options.port), options.dataDir],
    answers: answersAsCognito,
    startTimeoutMs: options.startTimeoutMs ?? 20_000,
    abandonGraceMs: 1000,
    execArgv: ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON'],
  });
}
