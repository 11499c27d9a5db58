import { fork } from 'node:child_process';
import path from 'node:path';
import { nodeBinary } from '../node-binary';
import { PROJECT_ROOT } from '../template/load';
import { isListening, ServiceStartError, waitUntil } from './ports';
import { OutputTail, stopChild, type LocalService } from './service';

export interface SesCaptureOptions {
  port: number;
  /** JSON-lines file the captured emails are kept in across restarts; none = memory only. */
  storeFile?: string;
  startTimeoutMs?: number;
}

/** An email as the capture's `GET /store` returns it. */
export interface CapturedEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

const PROCESS_SCRIPT = path.join(__dirname, 'ses-capture-process.mts');

/** Whether an SES capture answers at the endpoint. */
export async function answersAsSesCapture(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/health-check`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** Every email the capture at `endpoint` holds. */
export async function capturedEmails(endpoint: string): Promise<CapturedEmail[]> {
  const response = await fetch(`${endpoint}/store`);
  if (!response.ok) throw new Error(`GET ${endpoint}/store answered ${response.status}`);
  return ((await response.json()) as { emails: CapturedEmail[] }).emails;
}

/** Starts aws-ses-v2-local in its own process (SES API + viewer + `GET /store`) and waits until it answers. */
export async function startSesCapture(options: SesCaptureOptions): Promise<LocalService> {
  if (await isListening(options.port)) {
    throw new ServiceStartError(`the SES capture cannot start: port ${options.port} is already in use (set SES_PORT to use another)`);
  }
  const child = fork(PROCESS_SCRIPT, [String(options.port), ...(options.storeFile ? [options.storeFile] : [])], {
    execPath: nodeBinary(),
    execArgv: [],
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output = new OutputTail(child);
  let failure: string | undefined;
  child.on('message', (message: { type: string; message?: string }) => {
    if (message.type === 'error') failure = message.message;
  });
  child.once('exit', (code, signal) => {
    failure ??= `it exited (${signal ?? `code ${code}`})${output.toString() ? `:\n${output}` : ''}`;
  });
  const endpoint = `http://127.0.0.1:${options.port}`;
  try {
    await waitUntil(`the SES capture on port ${options.port}`, () => answersAsSesCapture(endpoint), {
      timeoutMs: options.startTimeoutMs ?? 20_000,
      failure: () => failure,
    });
  } catch (error) {
    await stopChild(child, 1000);
    throw error;
  }
  return {
    name: 'SES capture',
    endpoint,
    port: options.port,
    pids: [child.pid].filter((pid): pid is number => pid !== undefined),
    healthy: async () => failure === undefined && answersAsSesCapture(endpoint),
    stop: () => stopChild(child),
  };
}
