/**
 * Task: calls the host's integration with the evaluated Parameters/Arguments. Request-response tasks finish with
 * the integration's outcome; `.waitForTaskToken` tasks issue a token ($$.Task.Token), record TaskSubmitted with the
 * integration's response and then wait for SendTaskSuccess/Failure, under TimeoutSeconds and HeartbeatSeconds.
 * Legacy Lambda ARNs as Resource produce LambdaFunction* events, as in AWS.
 */
import { StatesError } from '../errors';
import { withErrorHandling } from '../error-handling';
import { Failure } from '../failure';
import { exitState, nextOf, pathEnv, type StateRun, type Transition } from '../interpreter';
import { applyInputPath, applyParameters, finishOutput, jsonataArguments, jsonataValue } from '../io';
import { readFieldPath } from '../jsonpath-eval';
import { expressionOf } from '../jsonata/evaluate';
import { asJson, isPlainObject, NotJsonError, textOf, toJson } from '../json';
import { raceDeadline, TIMED_OUT } from '../race';
import { Run } from '../run';
import type { CallbackResult } from '../tokens';
import type { HistoryEvent, TaskRequest } from '../types';

type Outcome = { ok: true; output: unknown } | { ok: false; error?: string; cause?: string; timedOut?: boolean; heartbeat?: boolean };

/** How the history names a resource: 'lambda' + 'invoke.waitForTaskToken', 'aws-sdk:sesv2' + 'sendEmail'. */
export function describeResource(resource: string): { resourceType: string; resource: string } {
  const parts = resource.split(':');
  if (parts[5] === 'aws-sdk') return { resourceType: `aws-sdk:${parts[6]}`, resource: parts.slice(7).join(':') };
  return { resourceType: parts[5] ?? resource, resource: parts.slice(6).join(':') };
}

interface TaskPlan {
  state: StateRun;
  resource: string;
  names: { resourceType: string; resource: string };
  legacyLambda: boolean;
  callback: boolean;
  token?: string;
  parameters: unknown;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  scheduled: HistoryEvent;
  started: HistoryEvent;
}

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

/** TimeoutSeconds / HeartbeatSeconds: a literal, a *Path (JSONPath) or an expression (JSONata); a positive integer. */
async function seconds(state: StateRun, field: 'TimeoutSeconds' | 'HeartbeatSeconds', effective: unknown): Promise<number | undefined> {
  const { def } = state;
  const pathField = `${field}Path`;
  let value: unknown;
  if (def[pathField] !== undefined) {
    value = readFieldPath(def[pathField], pathEnv(state, effective));
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw new StatesError('States.Runtime', `The ${pathField} parameter does not reference a positive integer value: ${def[pathField]} == ${toJson(value)}`);
    }
    return value;
  }
  if (def[field] === undefined) return undefined;
  value = state.queryLanguage === 'JSONata' ? await jsonataValue(state, def[field], field) : def[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new StatesError(
      'States.QueryEvaluationError',
      `The JSONata expression '${expressionOf(def[field]) ?? def[field]}' specified for the field '${field}' returned an unexpected result type. Expected 'integer', but was '${typeof value}' for value: ${toJson(value)}`,
    );
  }
  return value;
}

export function runTask(state: StateRun): Promise<Transition> {
  return withErrorHandling(state, () => attempt(state));
}

async function attempt(state: StateRun): Promise<Transition> {
  const { run, frame, def, name } = state;
  const resource: string = def.Resource;
  const legacyLambda = resource.startsWith('arn:aws:lambda:');
  const callback = resource.endsWith('.waitForTaskToken');
  let token = callback ? run.host.tokens.issue() : undefined;
  const extras = token !== undefined ? { token } : undefined;
  const jsonata = state.queryLanguage === 'JSONata';
  const effective = jsonata ? state.input : applyInputPath(state, state.input);
  let parameters = jsonata
    ? ((await jsonataArguments(state, def.Arguments, extras)) ?? state.input)
    : applyParameters(state, effective, def.Parameters, extras);
  const timeoutSeconds = await seconds(state, 'TimeoutSeconds', effective);
  const heartbeatSeconds = await seconds(state, 'HeartbeatSeconds', effective);
  const names = describeResource(resource);

  const replayingSchedule = run.replaying;
  let scheduled: HistoryEvent;
  if (legacyLambda) {
    const details: Record<string, unknown> = { resource, input: toJson(parameters), inputDetails: { truncated: false } };
    if (timeoutSeconds !== undefined) details.timeoutInSeconds = timeoutSeconds;
    scheduled = run.emit(frame, 'LambdaFunctionScheduled', details);
  } else {
    const details: Record<string, unknown> = { ...names, region: run.host.region, parameters: toJson(parameters) };
    if (timeoutSeconds !== undefined) details.timeoutInSeconds = timeoutSeconds;
    if (heartbeatSeconds !== undefined) details.heartbeatInSeconds = heartbeatSeconds;
    scheduled = run.emit(frame, 'TaskScheduled', details, undefined, token !== undefined ? { taskToken: token } : undefined);
  }
  if (replayingSchedule) {
    // A replayed schedule keeps its recorded token and parameters (random values stay what the service got).
    if (callback) token = scheduled.taskToken as string;
    const recordedParameters = Run.details(scheduled)[legacyLambda ? 'input' : 'parameters'];
    if (typeof recordedParameters === 'string') parameters = JSON.parse(recordedParameters);
  }
  const started = legacyLambda ? run.emit(frame, 'LambdaFunctionStarted') : run.emit(frame, 'TaskStarted', { ...names });

  const plan: TaskPlan = { state, resource, names, legacyLambda, callback, token, parameters, timeoutSeconds, heartbeatSeconds, scheduled, started };
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
    const type = legacyLambda ? (outcome.timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed') : outcome.timedOut ? 'TaskTimedOut' : 'TaskFailed';
    run.emit(frame, type, details);
    throw new Failure(outcome.error, outcome.cause, outcome.heartbeat);
  }
  if (legacyLambda) run.emit(frame, 'LambdaFunctionSucceeded', { output: resultText, outputDetails: { truncated: false } });
  else run.emit(frame, 'TaskSucceeded', { ...names, output: resultText, outputDetails: { truncated: false } });
  const result = outcome.output;
  const { output, assigned } = await finishOutput(state, result, { selectResult: true, hasResult: true, jsonataDefault: result });
  return exitState(state, output, assigned, nextOf(def));
}

/** The outcome recorded in a history event. */
function recordedOutcome(event: HistoryEvent): Outcome {
  const details = Run.details(event);
  if (event.type.endsWith('Succeeded')) return { ok: true, output: typeof details.output === 'string' ? JSON.parse(details.output) : null };
  return {
    ok: false,
    error: details.error as string | undefined,
    cause: details.cause as string | undefined,
    timedOut: event.type.endsWith('TimedOut'),
  };
}

async function perform(plan: TaskPlan, invocation: number): Promise<Outcome> {
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
  const deadline = plan.timeoutSeconds !== undefined ? plan.scheduled.timestamp + plan.timeoutSeconds * 1000 : undefined;

  if (recorded) {
    // Resumed while waiting for the callback: the service was already called; heartbeats restart from now.
    run.emit(frame, 'TaskSubmitted', Run.details(recorded));
    lastBeat = Math.max(lastBeat, run.host.clock.now());
    const final = await run.recorded(frame, AFTER_SUBMIT);
    if (final) return recordedOutcome(final);
  } else {
    const submitted = await invoke(plan, invocation, deadline);
    if (!plan.callback || !submitted.ok) return submitted;
    run.emit(frame, 'TaskSubmitted', { ...plan.names, output: toJson(submitted.output), outputDetails: { truncated: false } });
  }
  return awaitCallback(plan, result!, deadline, () => lastBeat);
}

/** The message of whatever an integration threw (not always an Error: a string, null, an object with a getter that throws). */
function thrownMessage(error: unknown): string {
  try {
    const message = (error as { message?: unknown } | null | undefined)?.message;
    return typeof message === 'string' ? message : String(message ?? error);
  } catch {
    return 'The integration threw a value that cannot be described';
  }
}

/** An integration's answer, checked: a host bug (no outcome object, a non-string error) fails the task with a clear cause. */
function checkedOutcome(outcome: unknown): Outcome {
  if (isPlainObject(outcome) && outcome.ok === true) return { ok: true, output: outcome.output };
  if (isPlainObject(outcome) && outcome.ok === false) {
    const checked: Outcome = { ok: false };
    if (outcome.error !== undefined && outcome.error !== null) checked.error = textOf(outcome.error);
    if (outcome.cause !== undefined && outcome.cause !== null) checked.cause = textOf(outcome.cause);
    return checked;
  }
  return {
    ok: false,
    error: 'States.TaskFailed',
    cause: `The integration answered ${textOf(outcome)} instead of { ok: true, output } or { ok: false, error, cause }`,
  };
}

async function invoke(plan: TaskPlan, invocation: number, deadline: number | undefined): Promise<Outcome> {
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
      .then(checkedOutcome, (error: unknown): Outcome => ({ ok: false, error: 'States.TaskFailed', cause: thrownMessage(error) }));
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

/** Waits for SendTaskSuccess/Failure; a missed heartbeat or the overall timeout ends it with States.Timeout. */
async function awaitCallback(
  plan: TaskPlan,
  result: Promise<CallbackResult>,
  deadline: number | undefined,
  lastBeat: () => number,
): Promise<Outcome> {
  const { run, frame } = plan.state;
  for (;;) {
    const heartbeatDeadline = plan.heartbeatSeconds !== undefined ? lastBeat() + plan.heartbeatSeconds * 1000 : undefined;
    const until = heartbeatDeadline === undefined ? deadline : deadline === undefined ? heartbeatDeadline : Math.min(deadline, heartbeatDeadline);
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
