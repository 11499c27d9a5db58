/**
 * JSONPath input and output processing: InputPath → Parameters → (the state's work) → ResultSelector →
 * ResultPath → OutputPath, and Assign on the (selected) result.
 */
import type { AssignField, InputOutputPaths, PayloadTemplate, ResultFields, StateCommon } from '../asl/common';
import { StatesError } from '../errors/states-error';
import { pathEnv } from '../execution/bindings';
import type { ContextExtras } from '../execution/context-object';
import type { AnyStateRun, StateRun } from '../execution/state-run';
import { isPlainObject } from '../json/objects';
import { compilePath } from '../paths/compiled-path';
import { readFieldPath } from '../paths/evaluate';
import { PathNotFoundError } from '../paths/path-not-found';
import { evaluatePayload } from '../paths/payload-template';
import { writePath } from '../paths/write';

type WithPaths = StateRun<StateCommon<string> & InputOutputPaths>;

export function applyInputPath(state: WithPaths, input: unknown): unknown {
  const path = state.def.InputPath;
  if (path === undefined) return input;
  if (path === null) return {};
  return readFieldPath(path, pathEnv(state, input));
}

export function applyOutputPath(state: WithPaths, output: unknown): unknown {
  const path = state.def.OutputPath;
  if (path === undefined) return output;
  if (path === null) return {};
  return readFieldPath(path, pathEnv(state, output));
}

/** Parameters (or another payload template field) over the effective input; the input itself when absent. */
export function applyParameters(
  state: AnyStateRun,
  effectiveInput: unknown,
  template: PayloadTemplate,
  extras?: ContextExtras,
): unknown {
  if (template === undefined) return effectiveInput;
  return evaluatePayload(template, pathEnv(state, effectiveInput, extras));
}

export function applyResultSelector(state: StateRun<StateCommon<string> & ResultFields>, result: unknown): unknown {
  const selector = state.def.ResultSelector;
  if (selector === undefined) return result;
  return evaluatePayload(selector, pathEnv(state, result));
}

/** ResultPath: where the result goes in the raw state input (null: discarded; absent: replaces it). */
export function applyResultPath(state: AnyStateRun, resultPath: string | null | undefined, result: unknown): unknown {
  if (resultPath === undefined || resultPath === '$') return result;
  if (resultPath === null) return state.input;
  try {
    return writePath(compilePath(resultPath), state.input, result);
  } catch (error) {
    if (error instanceof PathNotFoundError) throw new StatesError('States.ResultPathMatchFailure', error.message);
    throw error;
  }
}

/** JSONPath Assign: `name.$` values read from `data` (the state's result, or its input for states without one). */
export function jsonPathAssign(
  state: AnyStateRun,
  assign: AssignField['Assign'],
  data: unknown,
): Record<string, unknown> | undefined {
  if (!isPlainObject(assign)) return undefined;
  return evaluatePayload(assign, pathEnv(state, data)) as Record<string, unknown>;
}
