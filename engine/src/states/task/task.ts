/**
 * Task: calls the host's integration with the evaluated Parameters/Arguments. Request-response tasks finish with
 * the integration's outcome; `.waitForTaskToken` tasks issue a token ($$.Task.Token), record TaskSubmitted with the
 * integration's response and then wait for SendTaskSuccess/Failure, under TimeoutSeconds and HeartbeatSeconds.
 * Legacy Lambda ARNs as Resource produce LambdaFunction* events, as in AWS.
 */
import type { TaskState } from '../../asl/states';
import { withErrorHandling } from '../../error-handling/with-error-handling';
import { exitState, nextOf } from '../../execution/exit-state';
import { Failure } from '../../execution/failure';
import { eventDetails, type HistoryEvent } from '../../execution/history';
import type { StateRun, Transition } from '../../execution/state-run';
import { finishOutput } from '../../io/finish-output';
import { jsonataArguments } from '../../io/jsonata';
import { applyInputPath, applyParameters } from '../../io/jsonpath';
import { asJson, NotJsonError } from '../../json/as-json';
import { toJson } from '../../json/text';
import type { Outcome } from './outcome';
import { perform } from './perform';
import type { TaskPlan } from './plan';
import { describeResource } from './resource';
import { taskSeconds } from './timeouts';

export function runTask(state: StateRun<TaskState>): Promise<Transition> {
  return withErrorHandling(state, () => attempt(state));
}

async function attempt(state: StateRun<TaskState>): Promise<Transition> {
  const { run, frame, def, name } = state;
  const resource = def.Resource;
  const legacyLambda = resource.startsWith('arn:aws:lambda:');
  const callback = resource.endsWith('.waitForTaskToken');
  let token = callback ? run.host.tokens.issue() : undefined;
  const extras = token !== undefined ? { token } : undefined;
  const jsonata = state.queryLanguage === 'JSONata';
  const effective = jsonata ? state.input : applyInputPath(state, state.input);
  let parameters = jsonata
    ? ((await jsonataArguments(state, def.Arguments, extras)) ?? state.input)
    : applyParameters(state, effective, def.Parameters, extras);
  const timeoutSeconds = await taskSeconds(state, 'TimeoutSeconds', effective);
  const heartbeatSeconds = await taskSeconds(state, 'HeartbeatSeconds', effective);
  const names = describeResource(resource);

  let scheduled: HistoryEvent;
  if (legacyLambda) {
    const details: Record<string, unknown> = {
      resource,
      input: toJson(parameters),
      inputDetails: { truncated: false },
    };
    if (timeoutSeconds !== undefined) details.timeoutInSeconds = timeoutSeconds;
    scheduled = run.emit(frame, 'LambdaFunctionScheduled', details);
  } else {
    const details: Record<string, unknown> = { ...names, region: run.host.region, parameters: toJson(parameters) };
    if (timeoutSeconds !== undefined) details.timeoutInSeconds = timeoutSeconds;
    if (heartbeatSeconds !== undefined) details.heartbeatInSeconds = heartbeatSeconds;
    scheduled = run.emit(
      frame,
      'TaskScheduled',
      details,
      undefined,
      token !== undefined ? { taskToken: token } : undefined,
    );
  }
  if (run.isRecorded(scheduled)) {
    // A replayed schedule keeps its recorded token and parameters (random values stay what the service got).
    if (callback) token = scheduled.taskToken as string;
    const recordedParameters = eventDetails(scheduled)[legacyLambda ? 'input' : 'parameters'];
    if (typeof recordedParameters === 'string') parameters = JSON.parse(recordedParameters);
  }
  const started = legacyLambda
    ? run.emit(frame, 'LambdaFunctionStarted')
    : run.emit(frame, 'TaskStarted', { ...names });

  const plan: TaskPlan = {
    state,
    resource,
    names,
    legacyLambda,
    callback,
    token,
    parameters,
    timeoutSeconds,
    heartbeatSeconds,
    scheduled,
    started,
  };
  const invocation = run.invocations.get(name) ?? 0;
  run.invocations.set(name, invocation + 1);
  let outcome: Outcome;
  try {
    outcome = await perform(plan, invocation);
  } finally {
    if (token !== undefined) run.host.tokens.close(token);
  }
  let resultText = '';
  if (outcome.ok) {
    try {
      const json = asJson(outcome.output);
      outcome = { ok: true, output: json.value };
      resultText = json.text;
    } catch (error) {
      if (!(error instanceof NotJsonError)) throw error;
      outcome = { ok: false, error: 'States.TaskFailed', cause: `The task's result is not JSON: ${error.message}` };
    }
  }

  if (!outcome.ok) {
    const details: Record<string, unknown> = legacyLambda ? {} : { ...names };
    if (outcome.error !== undefined) details.error = outcome.error;
    if (outcome.cause !== undefined) details.cause = outcome.cause;
    const type = legacyLambda
      ? outcome.timedOut
        ? 'LambdaFunctionTimedOut'
        : 'LambdaFunctionFailed'
      : outcome.timedOut
        ? 'TaskTimedOut'
        : 'TaskFailed';
    run.emit(frame, type, details);
    throw new Failure(outcome.error, outcome.cause, outcome.heartbeat);
  }
  if (legacyLambda)
    run.emit(frame, 'LambdaFunctionSucceeded', { output: resultText, outputDetails: { truncated: false } });
  else run.emit(frame, 'TaskSucceeded', { ...names, output: resultText, outputDetails: { truncated: false } });
  const result = outcome.output;
  const { output, assigned } = await finishOutput(state, result, {
    selectResult: true,
    hasResult: true,
    jsonataDefault: result,
  });
  return exitState(state, output, assigned, nextOf(def));
}
