/**
 * One real local cloud per test file (local/cloud.ts startLocalCloud, nothing mocked): free ports, nothing
 * persisted unless the file asks (DynamoDB Local in memory, Step Functions state in a temporary folder), so nothing
 * is shared with a developer's `npm start` or another test file; the functions built from template.yaml once for
 * every test file of the run that needs them (tests/support/function-bundles.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalCloud, type LocalCloud } from '../../../local/cloud';
import { functionBundles } from '../../support/function-bundles';
import { ApiClient } from './http';
import { freeCloudPorts } from './ports';

/** Starting takes a JVM (DynamoDB Local) and a build on a shared 2-core machine: generous, but bounded. */
const START_TIMEOUT_MS = 180_000;

export interface SystemCloud {
  cloud: LocalCloud;
  api: ApiClient;
  /** The SES capture (GET /store) and the Step Functions API (POST /_local/clock). */
  sesUrl: string;
  sfnUrl: string;
  /** Moves the engine's clock forward, as the contract's POST <sfn>/_local/clock does. */
  advanceClock(seconds: number): Promise<void>;
  stop(): Promise<void>;
}

export interface SystemCloudOptions {
  /**
   * The local cloud's state (DynamoDB Local's database among it) in files under the temporary folder rather than
   * in memory, so that a test can stop DynamoDB Local and start it again on the same data (LocalCloud.services).
   */
  persist?: boolean;
}

async function startSystemCloud({ persist = false }: SystemCloudOptions): Promise<SystemCloud> {
  const dir = await mkdtemp(path.join(tmpdir(), 'system-cloud-'));
  let cloud: LocalCloud;
  try {
    cloud = await startLocalCloud({
      ports: await freeCloudPorts(),
      persist,
      stateDir: path.join(dir, 'state'),
      ...functionBundles(), // codeRoot, and its build (while DynamoDB Local starts)
      webRoot: path.join(dir, 'web'),
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const { urls } = cloud;
  return {
    cloud,
    api: new ApiClient(urls.api),
    sesUrl: urls.ses,
    sfnUrl: urls.sfn,
    advanceClock: async (seconds) => {
      const response = await fetch(`${urls.sfn}/_local/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceSeconds: seconds }),
      });
      if (!response.ok) throw new Error(`POST /_local/clock answered ${response.status}: ${await response.text()}`);
    },
    stop: async () => {
      try {
        await cloud.stop();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The local cloud of the calling test file: registers the beforeAll that starts it and the afterAll that stops
 * it, and returns it for the file's tests. It exists once beforeAll has run; a read before then (at module level)
 * fails saying so, instead of reading undefined.
 */
export function systemCloudOfThisFile(options: SystemCloudOptions = {}): SystemCloud {
  let started: SystemCloud | undefined;
  beforeAll(async () => {
    started = await startSystemCloud(options);
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await started?.stop();
  });
  return new Proxy({} as SystemCloud, {
    get(_, field) {
      if (!started) throw new Error(`the system cloud's ${String(field)} was read before beforeAll started it`);
      return started[field as keyof SystemCloud];
    },
  });
}
