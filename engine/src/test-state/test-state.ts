/**
 * TestState (Step Functions API 2016-11-23): one state run once, on its own or as one state of a whole definition,
 * with its service call (or a Map's iterations, a Parallel's branches) mocked or made through the host's
 * integrations. The state runs through the same runners as in an execution; the run's TestSession (session.ts)
 * makes the differences: a mock in place of the work, Retry answered RETRIABLE instead of retried (with the
 * retrier's count from stateConfiguration), a given context object, and the inspection data the state records.
 * The answer has AWS's TestStateOutput shape: status SUCCEEDED, FAILED, RETRIABLE or CAUGHT_ERROR, the output as
 * JSON text, nextState, error and cause, and inspectionData at the DEBUG and TRACE levels.
 */
import { randomUUID } from 'node:crypto';
import type { Machine } from '../asl/machine';
import type { StartOptions } from '../execution/execution';
import { Failure } from '../execution/failure';
import type { Frame } from '../execution/frame';
import { Run, type RunHost } from '../execution/run';
import { runState } from '../execution/run-frame';
import type { Integrations } from '../integration/integrations';
import { TokenRegistry } from '../integration/task-tokens';
import { toJson } from '../json/text';
import type { Clock } from '../time/clock';
import { raceDeadline, TIMED_OUT } from '../time/race';
import { VariableScope } from '../variables/scope';
import { type CheckedRequest, checkRequest, type FieldValidationMode, type TestStateRequest } from './request';
import { type ErrorDetails, RetriableFailure, TestSession } from './session';
import { type TestTarget, testTarget } from './target';

export type TestExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';

/** AWS's InspectionData: JSON values as JSON text, Map settings as numbers. */
export interface InspectionData {
  input?: string;
  afterArguments?: string;
  afterInputPath?: string;
  afterParameters?: string;
  result?: string;
  afterResultSelector?: string;
  afterResultPath?: string;
  afterItemsPath?: string;
  afterItemSelector?: string;
  afterItemBatcher?: string;
  afterItemsPointer?: string;
  variables?: string;
  errorDetails?: ErrorDetails;
  maxConcurrency?: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
}

export interface TestStateResult {
  status: TestExecutionStatus;
  output?: string;
  error?: string;
  cause?: string;
  nextState?: string;
  inspectionData?: InspectionData;
}

export interface TestStateHost {
  clock: Clock;
  /** Where an unmocked Task's service call goes (the host's real integrations). */
  integrations: Integrations;
  region?: string;
  accountId?: string;
  /**
   * Checks a mocked Task result against the service API's output shape (fieldValidationMode; the engine knows no
   * service models): throws (or rejects with) TestStateError to refuse it.
   */
  validateMockResult?(resource: string, result: unknown, mode: FieldValidationMode): void | Promise<void>;
}

/** Runs one state under TestState; throws TestStateError (with AWS's code and message) for a request AWS refuses. */
export async function testState(request: TestStateRequest, host: TestStateHost): Promise<TestStateResult> {
  const target = testTarget(request.definition, request.stateName);
  const checked = checkRequest(request, target);
  const mode = request.mock?.fieldValidationMode ?? 'STRICT';
  if (checked.mock?.ok && target.def.Type === 'Task' && mode !== 'NONE') {
    await host.validateMockResult?.(target.def.Resource, checked.mock.output, mode);
  }
  const session = new TestSession({
    mock: checked.mock,
    retrierRetryCount: request.stateConfiguration?.retrierRetryCount,
    mapIterationFailureCount: request.stateConfiguration?.mapIterationFailureCount,
    mapItemReaderData: checked.mapItemReaderData,
    context: checked.context,
  });
  const run = testRun(request, target, checked, host);
  run.testState = session;
  const frame: Frame = {
    states: target.states,
    startAt: target.name,
    queryLanguage: target.queryLanguage,
    vars: new VariableScope(),
    lastEventId: 0,
    signal: run.signal,
  };
  for (const [name, value] of Object.entries(checked.variables)) frame.vars.set(name, value);

  let result: TestStateResult;
  try {
    const transition = await runStateOnce(run, frame, target, session);
    result = { status: session.caught ? 'CAUGHT_ERROR' : 'SUCCEEDED', output: toJson(transition.output) };
    if (session.caught) withError(result, session.caught);
    if (transition.next !== undefined) result.nextState = transition.next;
  } catch (error) {
    if (error instanceof RetriableFailure) result = withError({ status: 'RETRIABLE' }, error.failure);
    else if (error instanceof Failure) result = withError({ status: 'FAILED' }, error);
    else throw error;
  } finally {
    // Ends whatever the state left waiting (a timer, a task's call) with the run.
    run.stop();
  }
  if ((request.inspectionLevel ?? 'INFO') !== 'INFO') result.inspectionData = inspectionData(session, frame);
  return result;
}

/**
 * AWS: "The TestState API can run for up to five minutes. If the execution of a state exceeds this duration, it
 * fails with the States.Timeout error." (API reference, TestState.) Retry and Catch do not apply to it.
 */
const MAX_TEST_STATE_MS = 5 * 60 * 1000;

async function runStateOnce(run: Run, frame: Frame, target: TestTarget, session: TestSession) {
  const input = run.options.input;
  session.record('input', input);
  // The matching retrier's count so far is also what $$.State.RetryCount says.
  const state = runState(run, frame, target.name, input, session.retrierRetryCount);
  const clock = run.host.clock;
  const outcome = await raceDeadline(clock, state, clock.now() + MAX_TEST_STATE_MS, run.signal);
  if (outcome === TIMED_OUT) throw new Failure('States.Timeout', undefined);
  return outcome;
}

function withError(result: TestStateResult, failure: Failure): TestStateResult {
  if (failure.error !== undefined) result.error = failure.error;
  if (failure.cause !== undefined) result.cause = failure.cause;
  return result;
}

/** A run of its own for the test, as AWS runs it: an EXPRESS execution of a state machine made for it. */
function testRun(request: TestStateRequest, target: TestTarget, checked: CheckedRequest, host: TestStateHost): Run {
  const region = host.region ?? 'us-east-1';
  const accountId = host.accountId ?? '123456789012';
  const machineName = `TestStateMachine-${randomUUID()}`;
  const name = randomUUID();
  const stateMachineArn = `arn:aws:states:${region}:${accountId}:stateMachine:${machineName}`;
  const runHost: RunHost = {
    clock: host.clock,
    integrations: host.integrations,
    region,
    accountId,
    tokens: new TokenRegistry(),
    closed: () => undefined,
  };
  const options: StartOptions = {
    definition: request.definition,
    stateMachineArn,
    stateMachineName: machineName,
    executionArn: `arn:aws:states:${region}:${accountId}:express:${machineName}:${name}`,
    name,
    input: checked.input,
    type: 'EXPRESS',
  };
  if (request.roleArn !== undefined) options.roleArn = request.roleArn;
  const machine: Machine = {
    definition: { StartAt: target.name, States: target.states },
    queryLanguage: target.queryLanguage,
  };
  return new Run(runHost, options, machine, undefined, toJson(checked.input));
}

function inspectionData(session: TestSession, frame: Frame): InspectionData {
  const data: InspectionData = {};
  for (const [field, value] of Object.entries(session.data)) data[field as keyof typeof session.data] = toJson(value);
  Object.assign(data, session.settings);
  const variables = frame.vars.bindings();
  if (Object.keys(variables).length > 0) data.variables = toJson(variables);
  if (Object.keys(session.errorDetails).length > 0) data.errorDetails = { ...session.errorDetails };
  return data;
}
