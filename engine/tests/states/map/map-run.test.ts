/**
 * A Distributed Map handed to the host as a map run (states/map/map-run.ts): what the host is asked, the parent's
 * history AWS records (no iteration events), a failed run, a resumed parent asking for the same map run, and a
 * redriven parent redriving its map run (MapRunRedriven) rather than starting another.
 */
import type { HistoryEvent, MapRunOutcome, MapRunRequest } from '../../../src';
import { MAX_MAP_RUN_REDRIVES } from '../../../src/states/map/map-run';
import { harness, runToEnd, types } from '../../../src/testing/harness';

const machine = (extra: object = {}) => ({
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
        StartAt: 'Step',
        States: { Step: { Type: 'Pass', End: true } },
      },
      ItemSelector: { 'value.$': '$$.Map.Item.Value' },
      ResultSelector: { 'count.$': 'States.ArrayLength($)' },
      ...extra,
      End: true,
    },
  },
});

function withHost(answer: (request: MapRunRequest) => MapRunOutcome | Promise<MapRunOutcome>) {
  const requests: MapRunRequest[] = [];
  const h = harness(undefined, {
    mapRuns: {
      run: async (request) => {
        requests.push(request);
        return answer(request);
      },
    },
  });
  return { h, requests };
}

test('the host runs the items; the parent records MapRunStarted and MapRunSucceeded only', async () => {
  const { h, requests } = withHost((request) => ({ ok: true, results: request.inputs }));
  const execution = h.start(machine({ Label: 'Items', MaxConcurrency: 2, ToleratedFailureCount: 1 }), [1, 2, 3]);
  const info = await runToEnd(h, execution);
  expect(info).toMatchObject({ status: 'SUCCEEDED', output: { count: 3 } });
  expect(requests).toHaveLength(1);
  expect(requests[0]).toMatchObject({
    executionArn: execution.info.executionArn,
    stateMachineName: 'Test',
    label: 'Items',
    executionType: 'EXPRESS',
    inputs: [{ value: 1 }, { value: 2 }, { value: 3 }],
    itemCount: 3,
    maxConcurrency: 2,
    toleratedFailureCount: 1,
    toleratedFailurePercentage: 0,
    definition: { QueryLanguage: 'JSONPath', StartAt: 'Step', States: { Step: { Type: 'Pass', End: true } } },
  });
  expect(requests[0].mapRunArn).toMatch(/^arn:aws:states:us-east-1:123456789012:mapRun:Test\/Items:[0-9a-f-]{36}$/);
  expect(execution.events.map((event) => [event.type, event.id, event.previousEventId])).toEqual([
    ['ExecutionStarted', 1, 0],
    ['MapStateEntered', 2, 0],
    ['MapStateStarted', 3, 2],
    ['MapRunStarted', 4, 3],
    ['MapRunSucceeded', 5, 4],
    ['MapStateSucceeded', 6, 5],
    ['MapStateExited', 7, 5],
    ['ExecutionSucceeded', 8, 7],
  ]);
  expect(execution.events[3].mapRunStartedEventDetails).toEqual({ mapRunArn: requests[0].mapRunArn });
});

test('a failed map run is MapRunFailed and MapStateFailed, and Catch sees its error', async () => {
  const { h } = withHost(() => ({ ok: false, error: 'States.ExceedToleratedFailureThreshold', cause: 'too many' }));
  const { End: _end, ...each } = machine().States.Each;
  const caught = {
    StartAt: 'Each',
    States: {
      Each: { ...each, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], Next: 'Caught' },
      Caught: { Type: 'Pass', End: true },
    },
  };
  const execution = h.start(caught, [1]);
  const info = await runToEnd(h, execution);
  expect(info).toMatchObject({
    status: 'SUCCEEDED',
    output: { Error: 'States.ExceedToleratedFailureThreshold', Cause: 'too many' },
  });
  expect(types(execution.events).slice(3, 6)).toEqual(['MapRunStarted', 'MapRunFailed', 'MapStateFailed']);
  expect(execution.events[4].mapRunFailedEventDetails).toEqual({
    error: 'States.ExceedToleratedFailureThreshold',
    cause: 'too many',
  });
});

test('a generated label when the Map has none; a resumed parent asks for the same map run', async () => {
  let release!: (outcome: MapRunOutcome) => void;
  const first = withHost(() => new Promise<MapRunOutcome>((resolve) => (release = resolve)));
  const execution = first.h.start(machine(), ['a']);
  await new Promise((resolve) => setImmediate(resolve));
  const { mapRunArn, label } = first.requests[0];
  expect(label).toMatch(/^[0-9a-f-]{36}$/);
  expect(mapRunArn).toContain(`:mapRun:Test/${label}:`);

  const second = withHost((request) => ({ ok: true, results: request.inputs }));
  const resumed = second.h.engine.resume(second.h.options(machine(), ['a']), [...execution.events]);
  expect(await resumed.done).toMatchObject({ status: 'SUCCEEDED', output: { count: 1 } });
  expect(second.requests[0]).toMatchObject({ mapRunArn, label });
  release({ ok: true, results: [] });
});

/** The host fails the map run until `fixed`; each request is kept. */
function failingUntilFixed() {
  const state = { fixed: false };
  const host = withHost((request) =>
    state.fixed
      ? { ok: true, results: request.inputs }
      : { ok: false, error: 'States.ExceedToleratedFailureThreshold' },
  );
  return { ...host, state };
}

test('a redriven parent redrives its failed map run: MapRunRedriven after ExecutionRedriven, then how it ended', async () => {
  const { h, requests, state } = failingUntilFixed();
  const execution = h.start(machine({ Label: 'Items' }), [1, 2]);
  expect(await runToEnd(h, execution)).toMatchObject({ status: 'FAILED' });
  const { mapRunArn } = requests[0];
  expect(requests[0].redrive).toBeUndefined();

  // Still failing: the map run is redriven and fails again, in the current attempt.
  const again = h.engine.redrive(h.options(machine({ Label: 'Items' }), [1, 2]), [...execution.events]);
  expect(await again.done).toMatchObject({ status: 'FAILED', redriveCount: 1 });
  expect(requests[1]).toMatchObject({ mapRunArn, redrive: true, inputs: [{ value: 1 }, { value: 2 }] });
  expect(again.events.slice(7).map((event) => [event.type, event.id, event.previousEventId])).toEqual([
    ['ExecutionRedriven', 8, 7],
    ['MapRunRedriven', 9, 8],
    ['MapRunFailed', 10, 9],
    ['MapStateFailed', 11, 10],
    ['ExecutionFailed', 12, 11],
  ]);
  expect(again.events[8].mapRunRedrivenEventDetails).toEqual({ mapRunArn, redriveCount: 1 });

  state.fixed = true;
  const redriven = h.engine.redrive(h.options(machine({ Label: 'Items' }), [1, 2]), [...again.events]);
  expect(await redriven.done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 2, output: { count: 2 } });
  expect(requests[2]).toMatchObject({ mapRunArn, redrive: true });
  expect(redriven.events.slice(12).map((event) => [event.type, event.id, event.previousEventId])).toEqual([
    ['ExecutionRedriven', 13, 12],
    ['MapRunRedriven', 14, 13],
    ['MapRunSucceeded', 15, 14],
    ['MapStateSucceeded', 16, 15],
    ['MapStateExited', 17, 15],
    ['ExecutionSucceeded', 18, 17],
  ]);
  expect(redriven.events[13].mapRunRedrivenEventDetails).toEqual({ mapRunArn, redriveCount: 2 });
  expect(types(redriven.events).filter((type) => type === 'MapRunStarted')).toHaveLength(1);
});

test('the resume of a redriven parent carries on with the map run being redriven, without redriving it again', async () => {
  const { h, requests } = failingUntilFixed();
  const execution = h.start(machine(), ['a']);
  await runToEnd(h, execution);
  let release!: (outcome: MapRunOutcome) => void;
  const pending = withHost(() => new Promise<MapRunOutcome>((resolve) => (release = resolve)));
  const redriven = pending.h.engine.redrive(pending.h.options(machine(), ['a']), [...execution.events]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(pending.requests[0]).toMatchObject({ mapRunArn: requests[0].mapRunArn, redrive: true });

  // The process restarts while the map run is being redriven: the resumed parent does not count another redrive.
  const after = withHost((request) => ({ ok: true, results: request.inputs }));
  const resumed = after.h.engine.resume(after.h.options(machine(), ['a']), [...redriven.events]);
  expect(await resumed.done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
  expect(after.requests[0].mapRunArn).toBe(requests[0].mapRunArn);
  expect(after.requests[0].redrive).toBeUndefined();
  expect(types(resumed.events).filter((type) => type === 'MapRunRedriven')).toHaveLength(1);
  release({ ok: true, results: [] });
});

test('a map run that ended well is not redriven: a Map that failed after it starts a new map run', async () => {
  const { h, requests } = withHost((request) => ({ ok: true, results: request.inputs }));
  // The ResultSelector fails on the map run's results: the Map state fails after MapRunSucceeded.
  const failsAfter = machine({ ResultSelector: { 'count.$': 'States.ArrayLength($.missing)' } });
  const execution = h.start(failsAfter, [1]);
  expect(await runToEnd(h, execution)).toMatchObject({ status: 'FAILED' });
  const redriven = h.engine.redrive(h.options(failsAfter, [1]), [...execution.events]);
  expect(await redriven.done).toMatchObject({ status: 'FAILED', redriveCount: 1 });
  // The recorded map run is asked for its results again (as on a resume), then the Map runs again with a new one.
  expect(requests).toHaveLength(3);
  expect(requests[1].mapRunArn).toBe(requests[0].mapRunArn);
  expect(requests[2].mapRunArn).not.toBe(requests[0].mapRunArn);
  expect(requests.map((request) => request.redrive)).toEqual([undefined, undefined, undefined]);
  expect(types(redriven.events)).not.toContain('MapRunRedriven');
});

test('a map run redriven 1,000 times is not redriven again: the Map fails with States.Runtime', async () => {
  const { h, requests } = failingUntilFixed();
  const execution = h.start(machine(), [1]);
  await runToEnd(h, execution);
  const once = h.engine.redrive(h.options(machine(), [1]), [...execution.events]);
  await once.done;
  // The record of 1,000 such redrives: the one above's five events (ExecutionRedriven to ExecutionFailed), repeated.
  const attempt = once.events.slice(7);
  const history: HistoryEvent[] = [...execution.events];
  for (let redrive = 1; redrive <= MAX_MAP_RUN_REDRIVES; redrive++) {
    const shift = (redrive - 1) * attempt.length;
    for (const event of attempt) {
      const copy: HistoryEvent = { ...event, id: event.id + shift, previousEventId: event.previousEventId + shift };
      if (copy.type === 'ExecutionRedriven') copy.executionRedrivenEventDetails = { redriveCount: redrive };
      if (copy.type === 'MapRunRedriven')
        copy.mapRunRedrivenEventDetails = { ...(event.mapRunRedrivenEventDetails as object), redriveCount: redrive };
      history.push(copy);
    }
  }
  const asked = requests.length;
  const refused = h.engine.redrive(h.options(machine(), [1]), history);
  expect(await refused.done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  expect(requests).toHaveLength(asked);
  const added = refused.events.slice(history.length);
  expect(added.map((event) => [event.type, event.previousEventId - history.length])).toEqual([
    ['ExecutionRedriven', 0],
    ['MapRunFailed', 1],
    ['MapStateFailed', 2],
    ['ExecutionFailed', 3],
  ]);
  expect(added[1].mapRunFailedEventDetails).toMatchObject({ error: 'States.Runtime' });
});
