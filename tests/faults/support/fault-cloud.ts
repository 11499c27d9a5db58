/**
 * The local cloud of a fault test file: the real one (local/cloud.ts), on free ports, persisting to a temporary
 * state folder, so that DynamoDB Local can be stopped and started again on the same database
 * (LocalCloud.services). Everything else as tests/system/support/system-cloud.ts: shared function bundles, the
 * contract's HTTP clients.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalCloud, type LocalCloud } from '../../../local/cloud';
import { functionBundles } from '../../support/function-bundles';
import { ApiClient } from '../../system/support/http';
import { freeCloudPorts } from '../../system/support/ports';

const API_KEY = 'fault-test-key';
/** A JVM (DynamoDB Local) and maybe a build on a shared 2-core machine: generous, but bounded. */
const START_TIMEOUT_MS = 180_000;

export interface FaultCloud {
  cloud: LocalCloud;
  api: ApiClient;
  sesUrl: string;
  sfnUrl: string;
}

/** Registers the beforeAll/afterAll of the calling file and returns its cloud (readable once beforeAll ran). */
export function faultCloudOfThisFile(): FaultCloud {
  let started: (FaultCloud & { dir: string }) | undefined;
  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fault-cloud-'));
    try {
      const cloud = await startLocalCloud({
        ports: await freeCloudPorts(),
        apiKey: API_KEY,
        persist: true,
        stateDir: path.join(dir, 'state'),
        ...functionBundles(),
        webRoot: path.join(dir, 'web'),
      });
      started = { cloud, api: new ApiClient(cloud.urls.api, API_KEY), sesUrl: cloud.urls.ses, sfnUrl: cloud.urls.sfn, dir };
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    if (!started) return;
    try {
      await started.cloud.stop();
    } finally {
      await rm(started.dir, { recursive: true, force: true });
    }
  }, 60_000);
  return new Proxy({} as FaultCloud, {
    get(_, field) {
      if (!started) throw new Error(`the fault cloud's ${String(field)} was read before beforeAll started it`);
      return started[field as keyof FaultCloud];
    },
  });
}
