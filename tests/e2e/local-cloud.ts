/**
 * A fresh local cloud for the browser tests: free ports, state in a temporary folder (nothing shared with
 * a developer's `npm start`), functions and pages built into that folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startLocalCloud, type LocalCloud } from '../../local/cloud';
import { freePorts } from '../../local/services/ports';
import { loadTemplate, PROJECT_ROOT } from '../../local/template/load';
import { buildFunctions } from '../../scripts/lib/build-functions';
import { buildWeb } from '../../web/build';

export interface E2eCloud {
  cloud: LocalCloud;
  stop(): Promise<void>;
}

export async function startE2eCloud(log: (line: string) => void): Promise<E2eCloud> {
  const dir = await mkdtemp(path.join(tmpdir(), 'e2e-cloud-'));
  const [api, sfn, dynamodb, ses, cognito] = await freePorts(5);
  const codeRoot = path.join(dir, 'functions');
  const webRoot = path.join(dir, 'web');
  let cloud: LocalCloud;
  try {
    cloud = await startLocalCloud({
      ports: { api, sfn, dynamodb, ses, cognito },
      persist: false,
      fresh: true,
      stateDir: path.join(dir, 'state'),
      codeRoot,
      webRoot,
      build: async () => {
        await Promise.all([buildFunctions(loadTemplate(), PROJECT_ROOT, codeRoot), buildWeb(webRoot)]);
      },
      progress: (line) => log(`  cloud: ${line}`),
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    cloud,
    stop: async () => {
      await cloud.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once GET /_local/health answers 200, polling; rejects after `timeoutMs`. */
export async function waitForHealth(apiUrl: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${apiUrl}/_local/health`);
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${apiUrl}/_local/health did not answer 200 within ${timeoutMs} ms (last: ${last})`);
}
