/**
 * An activity task's attempt (Resource `arn:aws:states:<region>:<account>:activity:<name>`): scheduled for the
 * host's workers (ActivityScheduled, recorded by the Task runner), started when a worker takes it (ActivityStarted,
 * with its workerName), answered with SendTaskSuccess/Failure and the task's token. TimeoutSeconds counts from the
 * schedule (a task no worker takes times out too), HeartbeatSeconds from the start and each SendTaskHeartbeat, as
 * LocalStack's AWS-validated test_activities histories show (ActivityScheduled, ActivityStarted, ActivityTimedOut
 * with error States.Timeout). A task resumed after a restart is queued again unless a worker had already taken it.
 */
import { eventDetails } from '../../execution/history';
import type { CallbackResult } from '../../integration/task-tokens';
import { raceDeadline, TIMED_OUT } from '../../time/race';
import { recordedOutcome, type Outcome } from './outcome';
import type { TaskPlan } from './plan';

const AFTER_SCHEDULE = new Set(['ActivityStarted', 'ActivitySucceeded', 'ActivityFailed', 'ActivityTimedOut']);
const AFTER_START = new Set(['ActivitySucceeded', 'ActivityFailed', 'ActivityTimedOut']);
const STARTED = Symbol('started');

export async function performActivity(plan: TaskPlan): Promise<Outcome> {
  const { state, token } = plan;
  const { run, frame } = state;
  const { clock } = run.host;
  let recorded = await run.recorded(frame, AFTER_SCHEDULE);
  if (recorded && recorded.type !== 'ActivityStarted') return recordedOutcome(recorded);

  let lastBeat: number | undefined;
  let markStarted!: () => void;
  let started = new Promise<typeof STARTED>((resolve) => (markStarted = () => resolve(STARTED)));
  const result = new Promise<CallbackResult>((resolve) => {
    run.host.tokens.register(token!, {
      executionArn: run.info.executionArn,
      complete: resolve,
      heartbeat: () => {
        if (lastBeat !== undefined) lastBeat = clock.now();
      },
      started: (workerName) => {
        if (lastBeat !== undefined) return;
        run.emit(frame, 'ActivityStarted', workerName !== undefined ? { workerName } : {});
        lastBeat = clock.now();
        markStarted();
      },
    });
  });
  if (recorded) {
    // Resumed after a worker took it: the worker keeps the token; heartbeats restart from now.
    run.emit(frame, 'ActivityStarted', eventDetails(recorded));
    lastBeat = Math.max(recorded.timestamp, clock.now());
    recorded = await run.recorded(frame, AFTER_START);
    if (recorded) return recordedOutcome(recorded);
  } else {
    const queued = new AbortController();
    frame.signal.addEventListener('abort', () => queued.abort(frame.signal.reason), {
      once: true,
      signal: queued.signal,
    });
    void result.finally(() => queued.abort(new Error('answered')));
    run.host.activities?.schedule({
      activityArn: plan.resource,
      input: eventDetails(plan.scheduled).input as string,
      taskToken: token!,
      executionArn: run.info.executionArn,
      stateName: state.name,
      signal: queued.signal,
    });
  }
  const deadline =
    plan.timeoutSeconds !== undefined ? plan.scheduled.timestamp + plan.timeoutSeconds * 1000 : undefined;
  for (;;) {
    const heartbeatDeadline =
      lastBeat !== undefined && plan.heartbeatSeconds !== undefined
        ? lastBeat + plan.heartbeatSeconds * 1000
        : undefined;
    const until =
      heartbeatDeadline === undefined || deadline === undefined
        ? (heartbeatDeadline ?? deadline)
        : Math.min(deadline, heartbeatDeadline);
    const outcome = await raceDeadline(clock, Promise.race([result, started]), until, frame.signal);
    if (outcome === STARTED) {
      started = new Promise<typeof STARTED>(() => undefined);
      continue;
    }
    if (outcome !== TIMED_OUT) return outcome.ok ? outcome : { ok: false, error: outcome.error, cause: outcome.cause };
    const now = clock.now();
    if (deadline !== undefined && now >= deadline) return { ok: false, error: 'States.Timeout', timedOut: true };
    if (heartbeatDeadline !== undefined && lastBeat !== undefined && now >= lastBeat + plan.heartbeatSeconds! * 1000) {
      return { ok: false, error: 'States.Timeout', timedOut: true, heartbeat: true };
    }
  }
}
