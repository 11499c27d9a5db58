/** `.waitForTaskToken`: waiting for SendTaskSuccess/Failure under TimeoutSeconds and HeartbeatSeconds. */
import type { CallbackResult } from '../../integration/task-tokens';
import { raceDeadline, TIMED_OUT } from '../../time/race';
import type { Outcome } from './outcome';
import type { TaskPlan } from './plan';

/** Waits for SendTaskSuccess/Failure; a missed heartbeat or the overall timeout ends it with States.Timeout. */
export async function awaitCallback(
  plan: TaskPlan,
  result: Promise<CallbackResult>,
  deadline: number | undefined,
  lastBeat: () => number,
): Promise<Outcome> {
  const { run, frame } = plan.state;
  for (;;) {
    const heartbeatDeadline =
      plan.heartbeatSeconds !== undefined ? lastBeat() + plan.heartbeatSeconds * 1000 : undefined;
    const until =
      heartbeatDeadline === undefined
        ? deadline
        : deadline === undefined
          ? heartbeatDeadline
          : Math.min(deadline, heartbeatDeadline);
    const outcome = await raceDeadline(run.host.clock, result, until, frame.signal);
    if (outcome !== TIMED_OUT) {
      return outcome.ok ? outcome : { ok: false, error: outcome.error, cause: outcome.cause };
    }
    const now = run.host.clock.now();
    if (deadline !== undefined && now >= deadline) return { ok: false, error: 'States.Timeout', timedOut: true };
    if (plan.heartbeatSeconds !== undefined && now >= lastBeat() + plan.heartbeatSeconds * 1000) {
      return { ok: false, error: 'States.Timeout', timedOut: true, heartbeat: true };
    }
  }
}
