/**
 * A Distributed Map handed to the host as a map run (states/map/map-run.ts): what the host is asked, the parent's
 * history AWS records (no iteration events), a failed run, and a resumed parent asking for the same map run.
 */
import type { MapRunOutcome, MapRunRequest } from '../../../src';
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
