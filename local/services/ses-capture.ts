import path from 'node:path';
import { startServiceProcess, type LocalService } from './service';

export interface SesCaptureOptions {
  port: number;
  /** JSON-lines file the captured emails are kept in across restarts; none = memory only. */
  storeFile?: string;
  startTimeoutMs?: number;
}

/** An email as the capture's `GET /store` returns it (`at` is epoch seconds). */
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
  return startServiceProcess({
    name: 'SES capture',
    subject: 'the SES capture',
    port: options.port,
    portVariable: 'SES_PORT',
    script: PROCESS_SCRIPT,
    args: [String(options.port), ...(options.storeFile ? [options.storeFile] : [])],
    answers: answersAsSesCapture,
    startTimeoutMs: options.startTimeoutMs ?? 20_000,
    abandonGraceMs: 1000,
    // It loads local/request-guard.ts by type stripping, in a package without "type": Node would say each time
    // that it reparsed the file as ES module.
    execArgv: ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON'],
  });
}
