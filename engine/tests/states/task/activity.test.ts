/**
 * Activity tasks (states/task/activity.ts): scheduled for the host's workers, started when one takes the task,
 * answered with SendTask*, timed out from the schedule and by heartbeats from the start, and queued again when an
 * execution that no worker had served is resumed.
 */
import type { ActivityTask } from '../../../src';
import { flush, harness, runToEnd, types } from '../../../src/testing/harness';

const ACTIVITY = 'arn:aws:states:us-east-1:123456789012:activity:Grade';

const machine = (extra: object = {}) => ({
  StartAt: 'Grade',
  States: { Grade: { Type: 'Task', Resource: ACTIVITY, Parameters: { 'exam.$': '$.exam' }, End: true, ...extra } },
});

function withWorkers(known = [ACTIVITY]) {
  const queued: ActivityTask[] = [];
  const h = harness(undefined, {
    activities: { has: (arn) => known.includes(arn), schedule: (task) => queued.push(task) },
  });
  return { h, queued };
}

test('a worker takes the task and answers it: the history is AWS’s', async () => {
  const { h, queued } = withWorkers();
  const execution = h.start(machine(), { exam: 'e1' });
  await flush();
  expect(queued).toHaveLength(1);
  expect(queued[0]).toMatchObject({ activityArn: ACTIVITY, input: '{"exam":"e1"}', stateName: 'Grade' });
  h.engine.startActivityTask(queued[0].taskToken, 'worker-1');
  h.engine.sendTaskHeartbeat(queued[0].taskToken);
  h.engine.sendTaskSuccess(queued[0].taskToken, { grade: 'A' });
  const info = await execution.done;
  expect(info).toMatchObject({ status: 'SUCCEEDED', output: { grade: 'A' } });
  const events = execution.events;
  expect(types(events)).toEqual([
    'ExecutionStarted',
    'TaskStateEntered',
    'ActivityScheduled',
    'ActivityStarted',
    'ActivitySucceeded',
    'TaskStateExited',
    'ExecutionSucceeded',
  ]);
  expect(events[2].activityScheduledEventDetails).toEqual({
    resource: ACTIVITY,
    input: '{"exam":"e1"}',
    inputDetails: { truncated: false },
  });
  expect(events[3]).toMatchObject({ previousEventId: 3, activityStartedEventDetails: { workerName: 'worker-1' } });
  expect(queued[0].signal.aborted).toBe(true);
});

test('a failure is ActivityFailed with the worker’s error and cause', async () => {
  const { h, queued } = withWorkers();
  const execution = h.start(machine(), { exam: 'e1' });
  await flush();
  h.engine.startActivityTask(queued[0].taskToken);
  h.engine.sendTaskFailure(queued[0].taskToken, 'Refused', 'no');
  const info = await execution.done;
  expect(info.status).toBe('FAILED');
  const failed = execution.events.find((event) => event.type === 'ActivityFailed');
  expect(failed?.activityFailedEventDetails).toEqual({ error: 'Refused', cause: 'no' });
  expect(execution.events[3].activityStartedEventDetails).toEqual({});
});

test('TimeoutSeconds counts from the schedule: a task no worker takes times out', async () => {
  const { h, queued } = withWorkers();
  const execution = h.start(machine({ TimeoutSeconds: 5 }), { exam: 'e1' });
  const info = await runToEnd(h, execution);
  expect(info).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  expect(types(execution.events)).toEqual([
    'ExecutionStarted',
    'TaskStateEntered',
    'ActivityScheduled',
    'ActivityTimedOut',
    'ExecutionFailed',
  ]);
  expect(queued[0].signal.aborted).toBe(true);
});

test('HeartbeatSeconds counts from the start and each heartbeat', async () => {
  const { h, queued } = withWorkers();
  const execution = h.start(machine({ HeartbeatSeconds: 10 }), { exam: 'e1' });
  await flush();
  await h.clock.advance(60_000); // waiting for a worker: no heartbeat is due yet
  expect(execution.info.status).toBe('RUNNING');
  h.engine.startActivityTask(queued[0].taskToken, 'w');
  await h.clock.advance(8_000);
  h.engine.sendTaskHeartbeat(queued[0].taskToken);
  await h.clock.advance(8_000);
  expect(execution.info.status).toBe('RUNNING');
  await h.clock.advance(3_000);
  const info = await execution.done;
  expect(info).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  expect(types(execution.events)).toContain('ActivityTimedOut');
});

test('an unknown activity fails the execution with AWS’s States.Runtime cause, before any schedule', async () => {
  const { h, queued } = withWorkers([]);
  const info = await runToEnd(h, h.start(machine(), { exam: 'e1' }));
  expect(info).toMatchObject({
    status: 'FAILED',
    error: 'States.Runtime',
    cause: `An error occurred while executing the state 'Grade' (entered at the event id #2). The activity ${ACTIVITY} does not exist.`,
  });
  expect(queued).toEqual([]);
});

test('a resumed execution queues again a task no worker took, and not one a worker holds', async () => {
  const first = withWorkers();
  const waiting = first.h.start(machine(), { exam: 'e1' }, 'waiting');
  const taken = first.h.start(machine(), { exam: 'e2' }, 'taken');
  await flush();
  first.h.engine.startActivityTask(first.queued[1].taskToken, 'w');
  const recorded = { waiting: [...waiting.events], taken: [...taken.events] };

  const second = withWorkers();
  const resumedWaiting = second.h.engine.resume(
    second.h.options(machine(), { exam: 'e1' }, 'waiting'),
    recorded.waiting,
  );
  const resumedTaken = second.h.engine.resume(second.h.options(machine(), { exam: 'e2' }, 'taken'), recorded.taken);
  await flush();
  expect(second.queued.map((task) => task.taskToken)).toEqual([first.queued[0].taskToken]);
  second.h.engine.sendTaskSuccess(first.queued[1].taskToken, 'done');
  expect(await resumedTaken.done).toMatchObject({ status: 'SUCCEEDED', output: 'done' });
  second.h.engine.startActivityTask(second.queued[0].taskToken);
  second.h.engine.sendTaskSuccess(second.queued[0].taskToken, 'also');
  expect(await resumedWaiting.done).toMatchObject({ status: 'SUCCEEDED', output: 'also' });
});
