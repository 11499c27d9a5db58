/**
 * A TestState request (the members of the service model's TestStateInput) and AWS's checks of it, in AWS's order
 * and words. The texts are those AWS answered in LocalStack's AWS-validated recordings
 * (tests/aws/services/stepfunctions/v2/test_state/*.snapshot.json); where no recording shows AWS's text, the
 * message says the same thing in the recorded messages' style (local/sfn-api/README.md lists those).
 */
import { isPlainObject } from '../json/objects';
import { isActivityResource } from '../states/task/resource';
import { parseContext } from './context';
import { TestStateError } from './errors';
import type { MockOutcome } from './session';
import type { TestTarget } from './target';

export type InspectionLevel = 'INFO' | 'DEBUG' | 'TRACE';
export type FieldValidationMode = 'STRICT' | 'PRESENT' | 'NONE';

export interface TestStateRequest {
  definition: string;
  roleArn?: string;
  input?: string;
  inspectionLevel?: InspectionLevel;
  revealSecrets?: boolean;
  variables?: string;
  stateName?: string;
  mock?: {
    result?: string;
    errorOutput?: { error?: string; cause?: string };
    fieldValidationMode?: FieldValidationMode;
  };
  context?: string;
  stateConfiguration?: {
    retrierRetryCount?: number;
    errorCausedByState?: string;
    mapIterationFailureCount?: number;
    mapItemReaderData?: string;
  };
}

/** The request's checked parts, as the run needs them. */
export interface CheckedRequest {
  input: unknown;
  variables: Record<string, unknown>;
  mock?: MockOutcome;
  context?: Record<string, unknown>;
  mapItemReaderData?: unknown;
}

const MOCKABLE = new Set(['Task', 'Map', 'Parallel']);

function invalid(message: string): TestStateError {
  return new TestStateError('ValidationException', message);
}

function parseJson(text: string, error: () => TestStateError): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw error();
  }
}

/** A Task state whose context may hold a Task member: a callback or `.sync` integration. */
function takesTaskToken(target: TestTarget): boolean {
  return target.def.Type === 'Task' && /\.(waitForTaskToken|sync(:2)?)$/.test(target.def.Resource);
}

/** The states a Map's processor or a Parallel's branches hold (errorCausedByState must name one of them). */
function innerStateNames(target: TestTarget): Set<string> {
  const names = new Set<string>();
  const { def } = target;
  const blocks = def.Type === 'Parallel' ? def.Branches : def.Type === 'Map' ? [def.ItemProcessor ?? def.Iterator] : [];
  const visit = (block: unknown): void => {
    if (!isPlainObject(block) || !isPlainObject(block.States)) return;
    for (const [name, state] of Object.entries(block.States)) {
      names.add(name);
      if (isPlainObject(state)) {
        for (const nested of [
          ...(Array.isArray(state.Branches) ? state.Branches : []),
          state.ItemProcessor,
          state.Iterator,
        ])
          visit(nested);
      }
    }
  };
  for (const block of blocks) visit(block);
  return names;
}

function checkMock(request: TestStateRequest, target: TestTarget): MockOutcome | undefined {
  const { def } = target;
  const mock = request.mock;
  if (mock === undefined) {
    if (def.Type === 'Map' || def.Type === 'Parallel') {
      throw new TestStateError(
        'InvalidDefinition',
        'TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]',
      );
    }
    return undefined;
  }
  if (!MOCKABLE.has(def.Type)) throw invalid(`State type '${def.Type}' is not supported when a mock is specified`);
  if (request.revealSecrets) throw invalid('TestState does not support RevealSecrets when a mock is specified.');
  if (mock.result !== undefined && mock.errorOutput !== undefined) {
    throw invalid('A test mock should have only one of the following fields: [result, errorOutput].');
  }
  if (mock.errorOutput !== undefined) {
    const { error, cause } = mock.errorOutput;
    if (error === undefined) throw invalid('The mock errorOutput must have an error.');
    return cause === undefined ? { ok: false, error } : { ok: false, error, cause };
  }
  if (mock.result === undefined)
    throw invalid('A test mock should have one of the following fields: [result, errorOutput].');
  const result = parseJson(mock.result, () => invalid('Mocked result must be valid JSON'));
  if (def.Type === 'Map') {
    if (def.ResultWriter !== undefined && !isPlainObject(result)) throw invalid('Mocked result must be a JSON object.');
    if (def.ResultWriter === undefined && !Array.isArray(result)) throw invalid('Mocked result must be an array.');
  }
  if (def.Type === 'Parallel') {
    if (!Array.isArray(result)) throw invalid('Mocked result must be an array.');
    if (result.length !== def.Branches.length) {
      throw invalid('Mocked result must contain the same number of items as number of Parallel branches.');
    }
  }
  return { ok: true, output: result };
}

function checkStateConfiguration(request: TestStateRequest, target: TestTarget, mock: MockOutcome | undefined): void {
  const configuration = request.stateConfiguration;
  if (configuration === undefined) return;
  const failures = configuration.mapIterationFailureCount;
  if (failures !== undefined) {
    if (mock?.ok && Array.isArray(mock.output) && failures > mock.output.length) {
      throw invalid('Map iteration failure count must be less than or equal to the number of Map iterations');
    }
  }
  const causedBy = configuration.errorCausedByState;
  if (causedBy !== undefined) {
    if (target.def.Type !== 'Map' && target.def.Type !== 'Parallel') {
      throw invalid('TestState supports ErrorCausedByState only for Map and Parallel states.');
    }
    if (mock?.ok !== false)
      throw invalid('TestState supports ErrorCausedByState only when a mock errorOutput is specified.');
    if (!innerStateNames(target).has(causedBy)) {
      throw invalid(
        `ErrorCausedByState '${causedBy}' is not a state of the ${target.def.Type} state '${target.name}'.`,
      );
    }
  }
}

/** Checks the request against the state it tests; throws TestStateError with AWS's code and message. */
export function checkRequest(request: TestStateRequest, target: TestTarget): CheckedRequest {
  if (request.stateConfiguration?.mapIterationFailureCount !== undefined && request.mock === undefined) {
    throw invalid('TestState does not support MapIterationFailureCount when a mock is not specified.');
  }
  const mock = checkMock(request, target);
  checkStateConfiguration(request, target, mock);
  if (request.roleArn === undefined && target.def.Type === 'Task' && mock === undefined) {
    throw invalid('RoleArn must be specified when testing a Task state');
  }
  if (mock === undefined && takesTaskToken(target)) {
    throw invalid(
      'TestState supports the .sync and .waitForTaskToken integration patterns only when a mock is specified.',
    );
  }
  if (mock === undefined && target.def.Type === 'Task' && isActivityResource(target.def.Resource)) {
    throw invalid('TestState supports Activity tasks only when a mock is specified.');
  }
  let context: Record<string, unknown> | undefined;
  if (request.context !== undefined) {
    if (mock === undefined) throw invalid('TestState does not support Context when a mock is not specified.');
    context = parseContext(request.context, takesTaskToken(target));
  }
  const input =
    request.input === undefined
      ? {}
      : parseJson(
          request.input,
          () =>
            new TestStateError(
              'InvalidExecutionInput',
              "Invalid State Machine Execution Input: 'The input is not valid JSON'",
            ),
        );
  const variables =
    request.variables === undefined
      ? {}
      : parseJson(request.variables, () => invalid('The variables are not valid JSON.'));
  if (!isPlainObject(variables)) throw invalid('The variables must be a JSON object literal.');
  const readerText = request.stateConfiguration?.mapItemReaderData;
  const checked: CheckedRequest = { input, variables };
  if (mock) checked.mock = mock;
  if (context) checked.context = context;
  if (readerText !== undefined) {
    checked.mapItemReaderData = parseJson(readerText, () => invalid('The mapItemReaderData is not valid JSON.'));
  }
  return checked;
}
