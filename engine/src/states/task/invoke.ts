/**
 * Calling the host's integration for one attempt: under the task's timeout and the frame's abort signal; whatever
 * the integration answers or throws becomes an Outcome.
 */
import type { TaskRequest } from '../../integration/integrations';
import { raceDeadline, TIMED_OUT } from '../../time/race';
import { checkedOutcome, thrownMessage, type Outcome } from './outcome';
import type { TaskPlan } from './plan';

export async function invoke(plan: TaskPlan, invocation: number, deadline: number | undefined): Promise<Outcome> {
  const { state } = plan;
  const { run, frame } = state;
  const control = new AbortController();
  const onAbort = () => control.abort(frame.signal.reason);
  frame.signal.addEventListener('abort', onAbort, { once: true });
  const request: TaskRequest = {
    resource: plan.resource,
    parameters: plan.parameters,
    stateName: state.name,
    executionArn: run.info.executionArn,
    stateMachineArn: run.info.stateMachineArn,
    stateMachineName: run.options.stateMachineName,
    attempt: invocation,
    signal: control.signal,
  };
  if (plan.token !== undefined) request.taskToken = plan.token;
  if (plan.timeoutSeconds !== undefined) request.timeoutSeconds = plan.timeoutSeconds;
  if (plan.heartbeatSeconds !== undefined) request.heartbeatSeconds = plan.heartbeatSeconds;
  try {
    const call = Promise.resolve()
      .then(() => run.host.integrations.invoke(request))
      .then(
        checkedOutcome,
        (error: unknown): Outcome => ({ ok: false, error: 'States.TaskFailed', cause: thrownMessage(error) }),
      );
    const outcome = await raceDeadline(run.host.clock, call, deadline, frame.signal);
    if (outcome === TIMED_OUT) {
      control.abort(new Error('States.Timeout'));
      return { ok: false, error: 'States.Timeout', timedOut: true };
    }
    return outcome;
  } finally {
    frame.signal.removeEventListener('abort', onAbort);
  }
}
