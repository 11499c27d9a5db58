/**
 * What the local Step Functions API says about executions (its local-only /_local/ endpoints, which also answer
 * EXPRESS histories), and the tools to drive retries: arm a Lambda fault, move the engine clock past a backoff.
 */
import { eventually } from '../../support/eventually';

export interface WireEvent {
  id: number;
  type: string;
  timestamp: number;
  taskFailedEventDetails?: { error?: string; cause?: string };
  [details: string]: unknown;
}

export interface ExecutionDetail {
  execution: { executionArn: string; status: string; input?: string; error?: string; cause?: string };
  events: WireEvent[];
}

async function localJson<T>(sfnUrl: string, path: string, init?: RequestInit): Promise<T> {
  // A state-changing /_local/ call must say it is JSON (a web page cannot send that cross-origin).
  const response = await fetch(`${sfnUrl}${path}`, {
    ...init,
    ...(init?.body === undefined ? {} : { headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export function executionDetail(sfnUrl: string, executionArn: string): Promise<ExecutionDetail> {
  return localJson(sfnUrl, `/_local/executions/${encodeURIComponent(executionArn)}`);
}

/** The ARNs of every execution so far, STANDARD and EXPRESS. */
export async function executionArns(sfnUrl: string): Promise<string[]> {
  const { executions } = await localJson<{ executions: Array<{ executionArn: string }> }>(sfnUrl, '/_local/executions');
  return executions.map((execution) => execution.executionArn);
}

/** The one execution started since `before` was listed (the test runs one request at a time), once it has. */
export async function executionStartedSince(sfnUrl: string, before: string[]): Promise<string> {
  const known = new Set(before);
  return eventually('a new execution', async () => {
    const started = (await executionArns(sfnUrl)).filter((arn) => !known.has(arn));
    if (started.length > 1)
      throw new Error(`expected one new execution, found ${started.length}: ${started.join(', ')}`);
    return started[0];
  });
}

/** The execution once it has ended (a workflow's last write can be seen before its end is recorded). */
export function executionEnded(sfnUrl: string, executionArn: string): Promise<ExecutionDetail> {
  return eventually(`${executionArn} to end`, async () => {
    const detail = await executionDetail(sfnUrl, executionArn);
    return detail.execution.status === 'RUNNING' ? undefined : detail;
  });
}

export const failedTasks = (events: WireEvent[]) => events.filter((event) => event.type === 'TaskFailed');

/** Waits until the execution's history holds at least `count` TaskFailed events, and returns them. */
export function taskFailures(
  sfnUrl: string,
  executionArn: string,
  count: number,
  timeoutMs?: number,
): Promise<WireEvent[]> {
  return eventually(
    `${count} TaskFailed event(s) in ${executionArn}`,
    async () => {
      const failed = failedTasks((await executionDetail(sfnUrl, executionArn)).events);
      return failed.length >= count ? failed : undefined;
    },
    { timeoutMs },
  );
}

/** Moves the engine clock forward (POST /_local/clock): a pending Retry backoff fires at once. */
export async function advanceClock(sfnUrl: string, seconds: number): Promise<void> {
  await localJson(sfnUrl, '/_local/clock', { method: 'POST', body: JSON.stringify({ advanceSeconds: seconds }) });
}

/**
 * Lets a running execution through `backoffs.length` retries without waiting for them: after each failure
 * appears in its history, the clock moves past that retry's backoff.
 */
export async function passRetries(sfnUrl: string, executionArn: string, backoffs: number[]): Promise<void> {
  for (const [index, seconds] of backoffs.entries()) {
    await taskFailures(sfnUrl, executionArn, index + 1);
    await advanceClock(sfnUrl, seconds);
  }
}

/** Arms a Lambda fault (POST /_local/faults): the function's next `count` invocations fail with `error`, before their code runs or (`when: 'after'`) once it ran. */
export async function injectLambdaFault(
  sfnUrl: string,
  fault: { function: string; error: string; count: number; when?: 'before' | 'after' },
): Promise<void> {
  await localJson(sfnUrl, '/_local/faults', { method: 'POST', body: JSON.stringify(fault) });
}

export async function armedFaults(sfnUrl: string): Promise<unknown[]> {
  return (await localJson<{ faults: unknown[] }>(sfnUrl, '/_local/faults')).faults;
}

/**
 * Arms a fault of the Step Functions API's own operation (POST /_local/faults with `operation`): its next `count`
 * calls answer `error` (a 5xx), refused before anything happens or (`when: 'after'`) carried out, the answer lost.
 */
export async function injectApiFault(
  sfnUrl: string,
  fault: {
    operation: string;
    error: 'ServiceUnavailable' | 'InternalFailure';
    count: number;
    when?: 'before' | 'after';
  },
): Promise<void> {
  await localJson(sfnUrl, '/_local/faults', { method: 'POST', body: JSON.stringify(fault) });
}
