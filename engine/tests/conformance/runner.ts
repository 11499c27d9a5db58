/**
 * Runs AWS-recorded cases (format: README.md beside this file) through the engine on a virtual clock and compares
 * each execution's outcome with the recorded one, and, where the case has it, its whole history event by event.
 * Used by conformance.test.ts and by `npm run conformance` (cli.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Engine, VirtualClock, type ExecutionInfo, type HistoryEvent, type Integrations } from '../../src';
import { childMapRuns } from './child-map-runs';
import { matchesRecorded } from './recorded-match';

export interface ConformanceCase {
  id: string;
  definition: object;
  input: unknown;
  expected: { status: 'SUCCEEDED' | 'FAILED'; output?: unknown; error?: string; cause?: string };
  /** The whole history AWS recorded, as LocalStack's snapshot keeps it (payloads parsed, run-specific values masked). */
  history?: Array<Record<string, unknown>>;
}

export interface CaseResult {
  id: string;
  /** The outcome (status, output or error and cause) is the recorded one. */
  ok: boolean;
  reason?: string;
  /** For a case with a recorded history: whether the engine's is the same, event by event, and where it is not. */
  history?: { ok: boolean; reason?: string };
}

/**
 * The first difference between the recorded history and the engine's: each event's type, id and previousEventId,
 * and every member of its details (state names, inputs, outputs, parameters, errors and causes, ...) by
 * matchesRecorded. Timestamps are not compared; ARNs and names the recording masked match anything.
 */
export function historyDifference(
  recorded: ReadonlyArray<Record<string, unknown>>,
  engine: readonly HistoryEvent[],
): string | undefined {
  // Only the tests that add that transformer have unnumbered events.
  const transformed = recorded.some((event) => typeof event.id !== 'number');
  const actual: Array<Record<string, unknown>> = transformed ? likeLocalStackParallel(engine) : [...engine];
  for (let i = 0; i < Math.max(recorded.length, actual.length); i++) {
    const [want, got] = [recorded[i], actual[i]];
    if (!want) return `event #${got.id} ${got.type} is more than the ${recorded.length} events recorded`;
    if (!got) return `the recorded history goes on with #${want.id} ${want.type} after the engine's ${actual.length}`;
    if (typeof want.id !== 'number') {
      // A Parallel state's branch events: the same events in any order.
      let end = i;
      while (end < recorded.length && typeof recorded[end].id !== 'number') end++;
      const unmatched = actual.slice(i, end);
      for (const event of recorded.slice(i, end)) {
        const at = unmatched.findIndex((candidate) => eventDifference(event, candidate) === undefined);
        if (at < 0) return `branch event ${event.type} ${JSON.stringify(detailsOf(event))} is not among the engine's`;
        unmatched.splice(at, 1);
      }
      i = end - 1;
      continue;
    }
    for (const field of ['id', 'previousEventId'] as const) {
      if (want[field] !== got[field]) {
        return `event #${i + 1} (${got.type}): ${field} ${JSON.stringify(got[field])}, recorded ${JSON.stringify(want[field])}`;
      }
    }
    const difference = eventDifference(want, got);
    if (difference) return `event #${i + 1} (${got.type}): ${difference}`;
  }
  return undefined;
}

/** How an event differs from the recorded one in its type or details (ids apart). */
function eventDifference(want: Record<string, unknown>, got: Record<string, unknown>): string | undefined {
  if (want.type !== got.type) return `type ${JSON.stringify(got.type)}, recorded ${JSON.stringify(want.type)}`;
  const keys = new Set([...Object.keys(want), ...Object.keys(got)].filter((key) => key.endsWith('EventDetails')));
  for (const key of keys) {
    if (!matchesRecorded(want[key], got[key])) {
      return `${key} ${JSON.stringify(got[key])}, recorded ${JSON.stringify(want[key])}`;
    }
  }
  return undefined;
}

function detailsOf(event: Record<string, unknown>): unknown {
  return Object.entries(event).find(([key]) => key.endsWith('EventDetails'))?.[1];
}

const PARALLEL_ENDS = new Set([
  'ParallelStateSucceeded',
  'ParallelStateAborted',
  'ParallelStateExited',
  'ParallelStateFailed',
]);

/**
 * The engine's history as LocalStack's snapshot tool leaves a recorded one (SfnNoneRecursiveParallelTransformer in
 * localstack-core/localstack/testing/pytest/stepfunctions/utils.py, ported step for step): the events between a
 * ParallelStateStarted and the next ParallelState{Succeeded,Aborted,Exited,Failed} lose their ids (branches run in
 * any order), and, as the tool replaces that stretch again at ParallelStateExited, the ParallelStateSucceeded
 * before it is dropped.
 */
function likeLocalStackParallel(engine: readonly HistoryEvent[]): Array<Record<string, unknown>> {
  const events: Array<Record<string, unknown>> = engine.map((event) => ({ ...event }));
  let start = 0;
  let sublist: Array<Record<string, unknown>> = [];
  let inSublist = false;
  for (let i = 0; i < events.length; i++) {
    const type = events[i].type as string;
    if (PARALLEL_ENDS.has(type)) {
      events.splice(start, i - start, ...sublist);
      inSublist = false;
    } else if (type === 'ParallelStateStarted') {
      inSublist = true;
      sublist = [];
      start = i + 1;
    } else if (inSublist) {
      events[i].id = [0];
      events[i].previousEventId = 0;
      sublist.push(events[i]);
    }
  }
  return events;
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
  const engine = new Engine({ clock, integrations: noIntegrations, mapRuns: childMapRuns(clock, noIntegrations) });
  const name = 'conformance';
  const stateMachineArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:Conformance';
  let info: ExecutionInfo;
  let events: readonly HistoryEvent[];
  try {
    const execution = engine.start({
      definition: testCase.definition,
      stateMachineArn,
      stateMachineName: 'Conformance',
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:Conformance:${name}`,
      name,
      input: testCase.input,
      type: 'STANDARD',
      // Every recorded ExecutionStarted names the execution's role.
      roleArn: 'arn:aws:iam::123456789012:role/Conformance',
    });
    info = await runToEnd(clock, execution.done, () => execution.info);
    events = execution.events;
  } catch (error) {
    return { id: testCase.id, ok: false, reason: `engine threw ${(error as Error).message}` };
  }
  const outcome = compareOutcome(testCase, info);
  if (!testCase.history) return outcome;
  const difference = historyDifference(testCase.history, events);
  return { ...outcome, history: difference === undefined ? { ok: true } : { ok: false, reason: difference } };
}

function compareOutcome(testCase: ConformanceCase, info: ExecutionInfo): CaseResult {
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
