/** One execution's lifecycle (execution/run.ts): the machine-level TimeoutSeconds, AWS's quotas, pacing. */
import { flush, harness, runToEnd, types } from '../../src/testing/harness';

test('the machine-level TimeoutSeconds ends the execution TIMED_OUT', async () => {
  const h = harness();
  const execution = h.start({
    TimeoutSeconds: 5,
    StartAt: 'W',
    States: { W: { Type: 'Wait', Seconds: 60, End: true } },
  });
  await flush();
  await h.clock.advance(5000);
  const info = await execution.done;
  expect(info).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  expect(types(execution.events)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);
  expect(h.clock.pendingTimers).toBe(0);
});

/** A Choice that loops back to a Pass for ever: 4 events per round, nothing to wait for. */
const loop = {
  StartAt: 'Spin',
  States: {
    Spin: { Type: 'Pass', Result: { spin: true }, Next: 'Again' },
    Again: { Type: 'Choice', Choices: [{ Variable: '$.spin', BooleanEquals: true, Next: 'Spin' }], Default: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

describe("AWS's quotas on one execution (execution/quotas.ts)", () => {
  test('a STANDARD history ends at 25,000 events: event #25,000 is ExecutionFailed, States.Runtime, as AWS records it', async () => {
    const h = harness();
    const execution = h.start(loop);
    const info = await execution.done;
    expect(info).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: 'The execution reached the maximum number of history events (25000).',
    });
    expect(execution.events).toHaveLength(25_000);
    expect(execution.events.map((event) => event.id)).toEqual(execution.events.map((_, index) => index + 1));
    const [last, beforeLast] = [execution.events[24_999], execution.events[24_998]];
    expect(last).toMatchObject({
      id: 25_000,
      previousEventId: 24_999,
      type: 'ExecutionFailed',
      executionFailedEventDetails: {
        error: 'States.Runtime',
        cause: 'The execution reached the maximum number of history events (25000).',
      },
    });
    expect(beforeLast.type).toMatch(/^(Pass|Choice)State(Entered|Exited)$/);
    // The host persisted exactly that history, and was told the execution closed.
    expect(h.events.get(info.executionArn)).toHaveLength(25_000);
    expect(h.closed).toEqual([expect.objectContaining({ status: 'FAILED', error: 'States.Runtime' })]);
    expect(h.clock.pendingTimers).toBe(0);
  });

  test('a STANDARD execution resumed at 24,999 events (a crash before its ExecutionFailed) fails as event #25,000', async () => {
    const first = harness();
    const original = first.start(loop);
    await original.done;
    const recorded = original.events.slice(0, 24_999);

    const h = harness();
    const resumed = h.engine.resume(h.options(loop), recorded);
    const info = await resumed.done;
    expect(info).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(resumed.events.slice(0, 24_999)).toEqual(recorded);
    expect(resumed.events[24_999]).toMatchObject({ id: 25_000, previousEventId: 24_999, type: 'ExecutionFailed' });
    // Only the new event reached the host: the replayed ones were on disk already.
    expect(h.events.get(info.executionArn)?.map((event) => event.id)).toEqual([25_000]);
  });

  test('an EXPRESS loop runs past 25,000 events (unlimited in AWS) and times out at 5 minutes, keeping 24,999 events and its end', async () => {
    const h = harness();
    const execution = h.engine.start({ ...h.options(loop), type: 'EXPRESS' });
    // It yields to the host every 1000 states (VirtualClock.pace): let it run well past the STANDARD quota.
    while (execution.events.length < 24_999) await flush();
    await flush();
    expect(execution.info.status).toBe('RUNNING');
    await h.clock.advance(5 * 60 * 1000 - 1);
    expect(execution.info.status).toBe('RUNNING');
    await h.clock.advance(1);
    const info = await execution.done;
    expect(info).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(info.stopDate! - info.startDate).toBe(5 * 60 * 1000);
    expect(execution.events).toHaveLength(25_000);
    const last = execution.events[24_999];
    expect(last).toMatchObject({
      type: 'ExecutionTimedOut',
      executionTimedOutEventDetails: { error: 'States.Timeout' },
    });
    // Its id counts every event, kept or not.
    expect(last.id).toBeGreaterThan(25_000);
    expect(last.previousEventId).toBe(last.id - 1);
    expect(h.events.get(info.executionArn)).toHaveLength(25_000);
  });

  test('an EXPRESS execution waiting longer than 5 minutes times out at 5 minutes, its TimeoutSeconds notwithstanding', async () => {
    const h = harness();
    const execution = h.engine.start({
      ...h.options({ TimeoutSeconds: 3600, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 600, End: true } } }),
      type: 'EXPRESS',
    });
    const info = await runToEnd(h, execution);
    expect(info).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(info.stopDate! - info.startDate).toBe(300_000);
    expect(types(execution.events)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);
  });

  test('a STANDARD execution ends TIMED_OUT after one year (365 days), when its TimeoutSeconds is longer or absent', async () => {
    const year = 365 * 24 * 3600;
    for (const TimeoutSeconds of [undefined, 2 * year]) {
      const h = harness();
      const execution = h.start({
        TimeoutSeconds,
        StartAt: 'W',
        States: { W: { Type: 'Wait', Seconds: 2 * year, End: true } },
      });
      const info = await runToEnd(h, execution);
      expect(info).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
      expect(info.stopDate! - info.startDate).toBe(year * 1000);
    }
    // A shorter TimeoutSeconds still comes first.
    const h = harness();
    const info = await runToEnd(
      h,
      h.start({ TimeoutSeconds: 60, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 2 * year, End: true } } }),
    );
    expect(info.stopDate! - info.startDate).toBe(60_000);
  });
});

describe('a looping execution lets its host run (Clock.pace)', () => {
  test('a macrotask scheduled as it starts runs while it loops, long before its end', async () => {
    const h = harness();
    const execution = h.start(loop);
    let seenAt: number | undefined;
    setImmediate(() => (seenAt = execution.events.length));
    const info = await execution.done;
    // At most two slices of 1000 states (2 events each) ran before it: the slice it started in, and the next one.
    expect(seenAt).toBeGreaterThan(0);
    expect(seenAt).toBeLessThanOrEqual(1 + 2 * 2 * 1000);
    expect(info.status).toBe('FAILED');
    expect(execution.events).toHaveLength(25_000);
  });

  test('StopExecution from a macrotask ends it ABORTED where it is', async () => {
    const h = harness();
    const execution = h.start(loop);
    setImmediate(() => h.engine.stop(execution.info.executionArn, 'Stopped', 'by the host'));
    const info = await execution.done;
    expect(info).toMatchObject({ status: 'ABORTED', error: 'Stopped', cause: 'by the host' });
    expect(execution.events.length).toBeLessThan(25_000);
    expect(execution.events.at(-1)).toMatchObject({ type: 'ExecutionAborted', previousEventId: 0 });
  });
});
