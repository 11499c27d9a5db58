import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_STAFF_PASSWORD, type LocalCloudPorts } from './cloud';
import { PROJECT_ROOT } from './template/load';

/**
 * The local cloud's settings from the environment (docs/contract.md "The local cloud"), checked so that a typo
 * is a clear error instead of a service on a surprising port. Shared by `npm start` and `npm run invoke`.
 */

/** A command-line or environment mistake: the commands print it and exit with status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const DEFAULT_PORTS: LocalCloudPorts = { api: 3000, sfn: 8083, dynamodb: 8000, ses: 8005, cognito: 9229 };
export const LOCAL_REGION = 'us-east-1';

const PORT_VARIABLES: Record<keyof LocalCloudPorts, string> = {
  api: 'LOCAL_API_PORT',
  sfn: 'SFN_PORT',
  dynamodb: 'DDB_PORT',
  ses: 'SES_PORT',
  cognito: 'COGNITO_PORT',
};

export function portsFromEnvironment(env: NodeJS.ProcessEnv = process.env): LocalCloudPorts {
  const ports = { ...DEFAULT_PORTS };
  for (const [part, variable] of Object.entries(PORT_VARIABLES) as Array<[keyof LocalCloudPorts, string]>) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    const port = Number(value);
    if (!/^\d+$/.test(value) || port < 1 || port > 65535)
      throw new UsageError(`${variable} must be a port number from 1 to 65535, got "${value}"`);
    ports[part] = port;
  }
  const used = new Map<number, string>();
  for (const [part, port] of Object.entries(ports) as Array<[keyof LocalCloudPorts, number]>) {
    const other = used.get(port);
    if (other)
      throw new UsageError(`${other} and ${PORT_VARIABLES[part]} are both ${port}: each part needs its own port`);
    used.set(port, PORT_VARIABLES[part]);
  }
  return ports;
}

/**
 * The local staff's password (contract, "Staff sign-in"): LOCAL_STAFF_PASSWORD, or Local-dev-password-1. It must
 * meet template.yaml's password policy, as it would in AWS, so it is checked against the same rules here.
 */
export function staffPasswordFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  const password = env.LOCAL_STAFF_PASSWORD || DEFAULT_STAFF_PASSWORD;
  if (
    password.length < 12 ||
    !/[a-z]/.test(password) ||
    !/[A-Z]/.test(password) ||
    !/\d/.test(password) ||
    !/[^A-Za-z0-9]/.test(password)
  )
    throw new UsageError(
      "LOCAL_STAFF_PASSWORD must be at least 12 characters with a lower-case letter, an upper-case letter, a digit and a symbol (template.yaml's password policy)",
    );
  return password;
}

export function mockConfigFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env.SFN_MOCK_CONFIG;
  if (!file) return undefined;
  const absolute = path.resolve(file);
  if (!existsSync(absolute)) throw new UsageError(`SFN_MOCK_CONFIG names ${file}, which does not exist`);
  return absolute;
}

/** Where the local cloud keeps its state: .local, or LOCAL_STATE_DIR (e.g. for a second, separate local cloud). */
export function stateDirFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  return env.LOCAL_STATE_DIR ? path.resolve(env.LOCAL_STATE_DIR) : path.join(PROJECT_ROOT, '.local');
}
