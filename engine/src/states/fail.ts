/** Fail: ends the execution (or its branch) with Error and Cause: literals, paths, intrinsics or JSONata. */
import type { FailState } from '../asl/states';
import { StatesError } from '../errors/states-error';
import { pathEnv } from '../execution/bindings';
import { Failure } from '../execution/failure';
import type { StateRun, Transition } from '../execution/state-run';
import { isIntrinsic } from '../intrinsics/parser';
import { jsonataValue } from '../io/jsonata';
import { toJson } from '../json/text';
import { readWordedPath } from '../paths/evaluate';
import { evaluatePayload } from '../paths/payload-template';

/**
 * ErrorPath / CausePath: a path or an intrinsic function whose value must be a string. A path that selects nothing
 * is worded like a Parameters field's (AWS, recorded in LocalStack's test_base_scenarios test_invalid_jsonpath:
 * "The JSONPath '$.NoSuchCausePath' specified for the field 'CausePath' could not be found in the input '...'").
 */
function stringFromPath(state: StateRun<FailState>, field: 'ErrorPath' | 'CausePath', source: string): string {
  const env = pathEnv(state, state.input);
  const value = isIntrinsic(source)
    ? evaluatePayload({ 'v.$': source }, env)
    : readWordedPath(
        source,
        env,
        () =>
          `The JSONPath '${source}' specified for the field '${field}' could not be found in the input '${toJson(state.input)}'`,
      );
  const resolved = isIntrinsic(source) ? (value as { v: unknown }).v : value;
  if (typeof resolved !== 'string') {
    throw new StatesError(
      'States.Runtime',
      `The ${field} parameter does not reference a valid string: ${source} == ${JSON.stringify(resolved)}`,
    );
  }
  return resolved;
}

async function jsonataString(state: StateRun<FailState>, field: 'Error' | 'Cause'): Promise<string | undefined> {
  const value = state.def[field];
  if (value === undefined) return undefined;
  const resolved = await jsonataValue(state, value, field);
  if (typeof resolved !== 'string') {
    throw new StatesError(
      'States.QueryEvaluationError',
      `The JSONata expression specified for the field '${field}' returned an unexpected result type. Expected 'string', but was '${typeof resolved}' for value: ${JSON.stringify(resolved)}`,
    );
  }
  return resolved;
}

export async function runFail(state: StateRun<FailState>): Promise<Transition> {
  const { def } = state;
  let error: string | undefined;
  let cause: string | undefined;
  if (state.queryLanguage === 'JSONata') {
    error = await jsonataString(state, 'Error');
    cause = await jsonataString(state, 'Cause');
  } else {
    // A Fail state has no InputPath: TestState reports its input as the input after it, as AWS does.
    state.run.testState?.record('afterInputPath', state.input);
    error = def.ErrorPath !== undefined ? stringFromPath(state, 'ErrorPath', def.ErrorPath) : def.Error;
    cause = def.CausePath !== undefined ? stringFromPath(state, 'CausePath', def.CausePath) : def.Cause;
  }
  throw new Failure(error, cause);
}
