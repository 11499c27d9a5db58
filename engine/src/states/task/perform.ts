/**
 * Performing a Task attempt: while replaying, the recorded outcome; live, the integration's answer and, for a
 * `.waitForTaskToken` task, the callback that follows it. A task resumed while waiting for its callback waits again.
 */
import { eventDetails } from '../../execution/history';
import type { CallbackResult } from '../../integration/task-tokens';
import { toJson } from '../../json/text';
import { awaitCallback } from './callback';
import { invoke } from './invoke';
import { recordedOutcome, type Outcome } from './outcome';
import type { TaskPlan } from './plan';

const AFTER_START = new Set([
  'TaskSubmitted',
  'TaskSucceeded',
  'TaskFailed',
  'TaskTimedOut',
  'TaskStartFailed',
  'TaskSubmitFailed',
  'LambdaFunctionSucceeded',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
]);
const AFTER_SUBMIT = new Set(['TaskSucceeded', 'TaskFailed', 'TaskTimedOut']);

export async function perform(plan: TaskPlan, invocation: number): Promise<Outcome> {
  const { state } = plan;
  const { run, frame } = state;
  const recorded = await run.recorded(frame, AFTER_START);
  if (recorded && recorded.type !== 'TaskSubmitted') return recordedOutcome(recorded);

  let result: Promise<CallbackResult> | undefined;
  let lastBeat = plan.started.timestamp;
  if (plan.callback) {
    result = new Promise<CallbackResult>((resolve) => {
      run.host.tokens.register(plan.token!, {
        executionArn: run.info.executionArn,
        complete: resolve,
        heartbeat: () => (lastBeat = run.host.clock.now()),
      });
    });
  }
  const deadline =
    plan.timeoutSeconds !== undefined ? plan.scheduled.timestamp + plan.timeoutSeconds * 1000 : undefined;

  if (recorded) {
    // Resumed while waiting for the callback: the service was already called; heartbeats restart from now.
    run.emit(frame, 'TaskSubmitted', eventDetails(recorded));
    lastBeat = Math.max(lastBeat, run.host.clock.now());
    const final = await run.recorded(frame, AFTER_SUBMIT);
    if (final) return recordedOutcome(final);
  } else {
    const submitted = await invoke(plan, invocation, deadline);
    if (!plan.callback || !submitted.ok) return submitted;
    run.emit(frame, 'TaskSubmitted', {
      ...plan.names,
      output: toJson(submitted.output),
      outputDetails: { truncated: false },
    });
  }
  return awaitCallback(plan, result!, deadline, () => lastBeat);
}
