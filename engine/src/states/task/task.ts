/**
 * Task: calls the host's integration with the evaluated Parameters/Arguments. Request-response tasks finish with
 * the integration's outcome; `.waitForTaskToken` tasks issue a token ($$.Task.Token), record TaskSubmitted with the
 * integration's response and then wait for SendTaskSuccess/Failure, under TimeoutSeconds and HeartbeatSeconds.
 * Legacy Lambda ARNs as Resource produce LambdaFunction* events, as in AWS.
 */
import type { TaskState } from '../../asl/states';
import { StatesError } from '../../errors/states-error';
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
import type { TestSession } from '../../test-state/session';
import type { Outcome } from './outcome';
import { performActivity } from './activity';
import { perform } from './perform';
import type { TaskPlan } from './plan';
import { describeResource, isActivityResource } from './resource';
import { taskSeconds } from './timeouts';

/** TestState: the token a callback task sees is the one the given context object holds, if it holds one. */
function testStateToken(session: TestSession | undefined): string | undefined {
  const task = session?.context?.Task;
  const token = typeof task === 'object' && task !== null ? (task as { Token?: unknown }).Token : undefined;
  return typeof token === 'string' ? token : undefined;
}

export function runTask(state: StateRun<TaskState>): Promise<Transition> {
  return withErrorHandling(state, () => attempt(state));
}

async function attempt(state: StateRun<TaskState>): Promise<Transition> {
  const { run, frame, def, name } = state;
  const resource = def.Resource;
  const legacyLambda = resource.startsWith('arn:aws:lambda:');
  const activity = isActivityResource(resource);
  const callback = resource.endsWith('.waitForTaskToken');
  let token = callback || activity ? (testStateToken(run.testState) ?? run.host.tokens.issue()) : undefined;
  const extras = token !== undefined ? { token } : undefined;
  const jsonata = state.queryLanguage === 'JSONata';
  const session = run.testState;
  const effective = jsonata ? state.input : applyInputPath(state, state.input);
  let parameters = jsonata
    ? ((await jsonataArguments(state, def.Arguments, extras)) ?? state.input)
    : applyParameters(state, effective, def.Parameters, extras);
  if (session) {
    if (!jsonata) session.record('afterInputPath', effective);
    if (jsonata ? def.Arguments !== undefined : true)
      session.record(jsonata ? 'afterArguments' : 'afterParameters', parameters);
  }
  const timeoutSeconds = await taskSeconds(state, 'TimeoutSeconds', effective);
  const heartbeatSeconds = await taskSeconds(state, 'HeartbeatSeconds', effective);
  const names = describeResource(resource);

  const replayingSchedule = run.replaying;
  let scheduled: HistoryEvent;
  if (legacyLambda || activity) {
    const details: Record<string, unknown> = {
      resource,
      input: toJson(parameters),
      inputDetails: { truncated: false },
    };
    if (timeoutSeconds !== undefined) details.timeoutInSeconds = timeoutSeconds;
    if (activity && heartbeatSeconds !== undefined) details.heartbeatInSeconds = heartbeatSeconds;
    // A mocked activity under TestState needs no activity: no worker is asked.
    if (activity && !replayingSchedule && !session?.mock && !run.host.activities?.has(resource)) {
      throw new StatesError('States.Runtime', `The activity ${resource} does not exist.`);
    }
    scheduled = run.emit(
      frame,
      activity ? 'ActivityScheduled' : 'LambdaFunctionScheduled',
      details,
      undefined,
      activity ? { taskToken: token } : undefined,
    );
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
    if (callback || activity) token = scheduled.taskToken as string;
    const recordedParameters = eventDetails(scheduled)[legacyLambda || activity ? 'input' : 'parameters'];
    if (typeof recordedParameters === 'string') parameters = JSON.parse(recordedParameters);
  }
  // An activity task starts when a worker takes it (ActivityStarted, performActivity).
  const started = activity
    ? scheduled
    : legacyLambda
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
    // TestState with a mock: the mocked result or error stands in for the service call (and its callback).
    outcome = session?.mock ?? (await (activity ? performActivity(plan) : perform(plan, invocation)));
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
    const details: Record<string, unknown> = legacyLambda || activity ? {} : { ...names };
    if (outcome.error !== undefined) details.error = outcome.error;
    if (outcome.cause !== undefined) details.cause = outcome.cause;
    const family = legacyLambda ? 'LambdaFunction' : activity ? 'Activity' : 'Task';
    const type = `${family}${outcome.timedOut ? 'TimedOut' : 'Failed'}`;
    run.emit(frame, type, details);
    throw new Failure(outcome.error, outcome.cause, outcome.heartbeat);
  }
  if (legacyLambda || activity)
    run.emit(frame, activity ? 'ActivitySucceeded' : 'LambdaFunctionSucceeded', {
      output: resultText,
      outputDetails: { truncated: false },
    });
  else run.emit(frame, 'TaskSucceeded', { ...names, output: resultText, outputDetails: { truncated: false } });
  const result = outcome.output;
  session?.record('result', result);
  const { output, assigned } = await finishOutput(state, result, {
    selectResult: true,
    hasResult: true,
    jsonataDefault: result,
  });
  return exitState(state, output, assigned, nextOf(def));
}
