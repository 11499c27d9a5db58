/**
 * Runs AWS-recorded cases (format: README.md beside this file) through the engine on a virtual clock and compares
 * each execution's outcome with the recorded one. Used by conformance.test.ts and by `npm run conformance` (cli.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Engine, VirtualClock, type ExecutionInfo, type Integrations } from '../../src';

export interface ConformanceCase {
  id: string;
  definition: object;
  input: unknown;
  expected: { status: 'SUCCEEDED' | 'FAILED'; output?: unknown; error?: string; cause?: string };
}

export interface CaseResult {
  id: string;
  ok: boolean;
  reason?: string;
}

/** The recorded cases call no service: any Task reaching the integration is a failure of the case. */
const noIntegrations: Integrations = {
  invoke: async (request) => ({
    ok: false,
    error: 'States.TaskFailed',
    cause: `No integration for ${request.resource} in conformance runs`,
  }),
};

/** JSON equality per the README: key order ignored, numbers by value (so -0 equals 0), arrays in order. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => jsonEqual(item, other[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b as object, k) && jsonEqual((a as never)[k], (b as never)[k]));
}

/** Drives the virtual clock: jumps to each pending timer until the execution ends (bounded in real time). */
async function runToEnd(
  clock: VirtualClock,
  done: Promise<ExecutionInfo>,
  info: () => ExecutionInfo,
): Promise<ExecutionInfo> {
  const deadline = Date.now() + 10_000;
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    if (Date.now() > deadline) throw new Error('did not finish within 10 s of real time');
    const next = clock.nextTimerAt();
    if (next !== undefined) await clock.advance(Math.max(0, next - clock.now()));
    else await new Promise((resolve) => setImmediate(resolve));
    if (info().status !== 'RUNNING') break;
  }
  return done;
}

export async function runCase(testCase: ConformanceCase): Promise<CaseResult> {
  const clock = new VirtualClock(Date.now());
  const engine = new Engine({ clock, integrations: noIntegrations });
  const name = 'conformance';
  const stateMachineArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:Conformance';
  let info: ExecutionInfo;
  try {
    const execution = engine.start({
      definition: testCase.definition,
      stateMachineArn,
      stateMachineName: 'Conformance',
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:Conformance:${name}`,
      name,
      input: testCase.input,
      type: 'STANDARD',
    });
    info = await runToEnd(clock, execution.done, () => execution.info);
  } catch (error) {
    return { id: testCase.id, ok: false, reason: `engine threw ${(error as Error).message}` };
  }
  const { expected } = testCase;
  if (info.status !== expected.status) {
    const detail = info.status === 'FAILED' ? ` (${info.error}: ${info.cause})` : '';
    return { id: testCase.id, ok: false, reason: `status ${info.status}${detail}, expected ${expected.status}` };
  }
  if (expected.status === 'SUCCEEDED') {
    if (!jsonEqual(info.output ?? null, expected.output ?? null)) {
      return {
        id: testCase.id,
        ok: false,
        reason: `output ${JSON.stringify(info.output)}, expected ${JSON.stringify(expected.output)}`,
      };
    }
    return { id: testCase.id, ok: true };
  }
  if (info.error !== expected.error) {
    return {
      id: testCase.id,
      ok: false,
      reason: `error ${JSON.stringify(info.error)}, expected ${JSON.stringify(expected.error)}`,
    };
  }
  if (info.cause !== expected.cause) {
    return {
      id: testCase.id,
      ok: false,
      reason: `cause ${JSON.stringify(info.cause)}, expected ${JSON.stringify(expected.cause)}`,
    };
  }
  return { id: testCase.id, ok: true };
}

export function loadCases(dir: string): ConformanceCase[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const testCase = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as ConformanceCase;
      testCase.id ??= file.slice(0, -'.json'.length);
      return testCase;
    });
}

export async function runDirectory(dir: string): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const testCase of loadCases(dir)) results.push(await runCase(testCase));
  return results;
}
