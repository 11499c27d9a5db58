/**
 * A test harness for code that runs on the engine (`@serverless-workflows/sfn-engine/testing`): an engine on a
 * virtual clock with scriptable integrations, every event and closed execution recorded, and a way to run an
 * execution to its end by jumping the clock from timer to timer. The engine's own tests use it too.
 */
import { Engine } from '../engine/engine';
import type { EngineOptions } from '../engine/options';
import type { StartOptions, ExecutionInfo } from '../execution/execution';
import type { HistoryEvent } from '../execution/history';
import type { Integrations, TaskOutcome, TaskRequest } from '../integration/integrations';
import { VirtualClock } from '../time/virtual-clock';

export const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:Test';

export interface Harness {
  engine: Engine;
  clock: VirtualClock;
  requests: TaskRequest[];
  events: Map<string, HistoryEvent[]>;
  closed: ExecutionInfo[];
  start(definition: object, input?: unknown, name?: string): ReturnType<Engine['start']>;
  options(definition: object, input?: unknown, name?: string): StartOptions;
}

export const START_MS = Date.UTC(2030, 0, 1);

/**
 * `handler` answers every task (default: echo the parameters); `hosts` gives the engine activity workers or a map
 * run host.
 */
export function harness(
  handler?: (request: TaskRequest) => Promise<TaskOutcome> | TaskOutcome,
  hosts: Pick<EngineOptions, 'activities' | 'mapRuns'> = {},
): Harness {
  const clock = new VirtualClock(START_MS);
  const requests: TaskRequest[] = [];
  const events = new Map<string, HistoryEvent[]>();
  const closed: ExecutionInfo[] = [];
  const integrations: Integrations = {
    invoke: async (request) => {
      requests.push(request);
      return handler ? handler(request) : { ok: true, output: request.parameters };
    },
  };
  const engine = new Engine({
    ...hosts,
    clock,
    integrations,
    onEvent: (arn, event) => {
      if (!events.has(arn)) events.set(arn, []);
      events.get(arn)!.push(event);
    },
    onClose: (info) => closed.push({ ...info }),
  });
  const options = (definition: object, input: unknown = {}, name = 'exec-1'): StartOptions => ({
    definition,
    stateMachineArn: ARN,
    stateMachineName: 'Test',
    executionArn: `arn:aws:states:us-east-1:123456789012:execution:Test:${name}`,
    name,
    input,
    type: 'STANDARD',
  });
  return {
    engine,
    clock,
    requests,
    events,
    closed,
    options,
    start: (definition, input, name) => engine.start(options(definition, input, name)),
  };
}

/** Lets pending promise chains run (no time passes). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Runs an execution to its end, jumping the virtual clock from timer to timer. */
export async function runToEnd(
  h: Harness,
  execution: { done: Promise<ExecutionInfo>; info: ExecutionInfo },
): Promise<ExecutionInfo> {
  for (let i = 0; i < 10_000 && execution.info.status === 'RUNNING'; i++) {
    // What is already due runs first (a callback the test sends from setImmediate, the engine's turn between
    // slices of states): the clock jumps to the next timer only when nothing else is pending.
    await flush();
    const next = h.clock.nextTimerAt();
    if (next !== undefined && execution.info.status === 'RUNNING') await h.clock.advance(next - h.clock.now());
  }
  return execution.done;
}

export function types(events: readonly HistoryEvent[]): string[] {
  return events.map((e) => e.type);
}
