/**
 * Start-up step 1: the processes the local cloud runs beside itself. DynamoDB Local, the SES capture and the
 * Cognito service run as child processes with pid files under <stateDir>/pids, so that a run killed with `kill -9` is cleaned up by the
 * next one; the X-Ray collector runs in this process.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PidFiles } from '../pids';
import { startDynamoDbLocal } from '../services/dynamodb-local';
import { RestartableService } from '../services/restartable-service';
import type { LocalService } from '../services/service';
import { startCognitoService } from '../services/cognito';
import { startSesCapture } from '../services/ses-capture';
import { XRayCollector } from '../xray/collector';
import { allStarted, seconds, type Teardown } from './lifecycle';

const OWNER = 'local-cloud';

export interface ServicesOptions {
  ports: { dynamodb: number; ses: number; cognito: number };
  stateDir: string;
  /** Keep DynamoDB's data and the captured emails in stateDir; without it they live in memory. */
  persist: boolean;
  /** Wipe stateDir first (after stopping whatever a previous run left behind). */
  fresh: boolean;
  teardown: Teardown;
  progress: (message: string) => void;
}

export interface StartedServices {
  dynamodb: RestartableService;
  ses: RestartableService;
  cognito: RestartableService;
  xray: XRayCollector;
  /** When they began to start (Date.now()), for the progress line that says DynamoDB Local is ready. */
  startedAt: number;
}

/**
 * Makes stateDir this process's: stops the processes a previous run left behind (their pid files), wipes it when
 * fresh, and records this process as its owner until the teardown runs.
 */
export async function claimStateDir({ stateDir, fresh, teardown, progress }: ServicesOptions): Promise<PidFiles> {
  const pidFiles = new PidFiles(path.join(stateDir, 'pids'));
  const leftovers = await pidFiles.stopLeftovers([OWNER]);
  if (leftovers.length > 0)
    progress(
      `Stopped ${leftovers.length} process(es) a previous run left behind: ${leftovers.map((record) => `${record.name} (pid ${record.pid})`).join(', ')}`,
    );
  if (fresh) {
    rmSync(stateDir, { recursive: true, force: true });
    progress(`--fresh: removed ${path.relative(process.cwd(), stateDir) || stateDir}`);
  }
  mkdirSync(stateDir, { recursive: true });
  pidFiles.record(OWNER, process.pid);
  teardown.add('pid files', () => pidFiles.remove(OWNER));
  return pidFiles;
}

/**
 * DynamoDB Local, the SES capture, the Cognito service and the X-Ray collector, started side by side (DynamoDB
 * Local's JVM takes the longest). The Cognito service keeps its pools in stateDir/cognito when persisting, else in a
 * temporary folder removed at stop.
 */
export async function startServices(options: ServicesOptions, pidFiles: PidFiles): Promise<StartedServices> {
  const { ports, stateDir, persist, teardown, progress } = options;
  const startService = async (
    name: string,
    port: number,
    launch: () => Promise<LocalService>,
  ): Promise<RestartableService> => {
    let recorded: string[] = [];
    const service = new RestartableService(name, `http://127.0.0.1:${port}`, launch, {
      started: (launched) => (recorded = pidFiles.recordAll(name, launched.pids)),
      stopped: () => {
        for (const pidName of recorded) pidFiles.remove(pidName);
      },
    });
    await service.start();
    teardown.add(name, () => service.stop());
    return service;
  };

  const started = Date.now();
  progress(
    `DynamoDB Local: starting on port ${ports.dynamodb}${persist ? ` (data in ${path.relative(process.cwd(), path.join(stateDir, 'dynamodb'))})` : ' (in memory)'}...`,
  );
  const cognitoDir = persist ? path.join(stateDir, 'cognito') : mkdtempSync(path.join(os.tmpdir(), 'local-cognito-'));
  if (!persist) teardown.add('Cognito state', () => rmSync(cognitoDir, { recursive: true, force: true }));
  const [dynamodb, ses, cognito, xray] = await allStarted([
    startService('dynamodb', ports.dynamodb, () =>
      startDynamoDbLocal({ port: ports.dynamodb, dataDir: persist ? path.join(stateDir, 'dynamodb') : undefined }),
    ),
    startService('ses', ports.ses, () =>
      startSesCapture({ port: ports.ses, storeFile: persist ? path.join(stateDir, 'ses', 'emails.jsonl') : undefined }),
    ).then((service) => {
      progress(`SES capture ready in ${seconds(started)}`);
      return service;
    }),
    startService('cognito', ports.cognito, () =>
      startCognitoService({ port: ports.cognito, dataDir: cognitoDir }),
    ).then((service) => {
      progress(`Cognito ready in ${seconds(started)}`);
      return service;
    }),
    XRayCollector.start().then((collector) => {
      teardown.add('X-Ray collector', () => collector.close());
      progress(`X-Ray collector listening on udp ${collector.address}`);
      return collector;
    }),
  ] as const);
  return { dynamodb, ses, cognito, xray, startedAt: started };
}
