/**
 * Input and output processing shared by the state types.
 * JSONPath: InputPath → Parameters → (work) → ResultSelector → ResultPath → OutputPath, Assign on the result.
 * JSONata: Arguments → (work) → Output and Assign, with $states.input/result/errorOutput/context.
 * Assign and Output both see the variables as they were on entering the state; assignments commit on exit.
 */
import { StatesError } from './errors';
import { FieldError } from './failure';
import { isPlainObject } from './json';
import { evaluatePayload, readFieldPath } from './jsonpath-eval';
import { compilePath, PathNotFoundError, writePath } from './jsonpath';
import { evaluateExpression, evaluateTemplate, expressionOf, hasExpression, type StatesBinding } from './jsonata/evaluate';
import { pathEnv, statesBinding, type ContextExtras, type StateRun } from './interpreter';

/** Wraps JSONata errors with the field they came from (EvaluationFailed's location). */
async function jsonataField(value: unknown, field: string, binding: StatesBinding, state: StateRun): Promise<unknown> {
  try {
    return await evaluateTemplate(value, field, binding, state.frame.vars, state.run.now());
  } catch (error) {
    if (error instanceof StatesError && !(error instanceof FieldError)) {
      throw new FieldError(error.error, error.cause ?? '', field.split('/')[0]);
    }
    throw error;
  }
}

/** Evaluates a single JSONata field value (literal or expression) such as Items, Seconds, TimeoutSeconds. */
export async function jsonataValue(state: StateRun, value: unknown, field: string, extras?: ContextExtras): Promise<unknown> {
  if (!hasExpression(value)) return value;
  return jsonataField(value, field, statesBinding(state, extras), state);
}

/** The expression text of a JSONata field, for AWS's messages (undefined for a literal). */
export function expressionText(value: unknown): string | undefined {
  return expressionOf(value);
}

export async function evaluateJsonataExpression(state: StateRun, expression: string, field: string, binding: StatesBinding): Promise<unknown> {
  try {
    return await evaluateExpression(expression, field, binding, state.frame.vars, state.run.now());
  } catch (error) {
    if (error instanceof StatesError && !(error instanceof FieldError)) throw new FieldError(error.error, error.cause ?? '', field);
    throw error;
  }
}

// ---- JSONPath ---------------------------------------------------------------------------------------------

export function applyInputPath(state: StateRun, input: unknown): unknown {
  const path = state.def.InputPath;
  if (path === undefined) return input;
  if (path === null) return {};
  return readFieldPath(path, pathEnv(state, input));
}

export function applyOutputPath(state: StateRun, output: unknown): unknown {
  const path = state.def.OutputPath;
  if (path === undefined) return output;
  if (path === null) return {};
  return readFieldPath(path, pathEnv(state, output));
}

/** Parameters (or another payload template field) over the effective input; the input itself when absent. */
export function applyParameters(state: StateRun, effectiveInput: unknown, template: unknown, extras?: ContextExtras): unknown {
  if (template === undefined) return effectiveInput;
  return evaluatePayload(template, pathEnv(state, effectiveInput, extras));
}

export function applyResultSelector(state: StateRun, result: unknown): unknown {
  const selector = state.def.ResultSelector;
  if (selector === undefined) return result;
  return evaluatePayload(selector, pathEnv(state, result));
}

/** ResultPath: where the result goes in the raw state input (null: discarded; absent: replaces it). */
export function applyResultPath(state: StateRun, resultPath: string | null | undefined, result: unknown): unknown {
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
export function jsonPathAssign(state: StateRun, assign: unknown, data: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(assign)) return undefined;
  return evaluatePayload(assign, pathEnv(state, data)) as Record<string, unknown>;
}

// ---- JSONata ---------------------------------------------------------------------------------------------

export async function jsonataAssign(state: StateRun, assign: unknown, binding: StatesBinding): Promise<Record<string, unknown> | undefined> {
  if (!isPlainObject(assign)) return undefined;
  return (await jsonataField(assign, 'Assign', binding, state)) as Record<string, unknown>;
}

export async function jsonataOutput(state: StateRun, output: unknown, binding: StatesBinding, fallback: unknown): Promise<unknown> {
  if (output === undefined) return fallback;
  return jsonataField(output, 'Output', binding, state);
}

/** JSONata Arguments (Task, Parallel); undefined when absent. */
export async function jsonataArguments(state: StateRun, args: unknown, extras?: ContextExtras): Promise<unknown> {
  if (args === undefined) return undefined;
  return jsonataField(args, 'Arguments', statesBinding(state, extras), state);
}

/**
 * The common ending of a state: the output and variables from `result`, in the state's query language.
 * JSONPath: ResultSelector (when `selectResult`), ResultPath, OutputPath; Assign reads the (selected) result.
 * JSONata: Output (default: `jsonataDefault`), Assign, both with $states.result.
 */
export async function finishOutput(
  state: StateRun,
  result: unknown,
  options: { selectResult: boolean; hasResult: boolean; jsonataDefault: unknown },
): Promise<{ output: unknown; assigned?: Record<string, unknown> }> {
  const { def } = state;
  if (state.queryLanguage === 'JSONata') {
    const binding = statesBinding(state, options.hasResult ? { result } : undefined);
    const assigned = await jsonataAssign(state, def.Assign, binding);
    const output = await jsonataOutput(state, def.Output, binding, options.jsonataDefault);
    return { output, assigned };
  }
  const selected = options.selectResult ? applyResultSelector(state, result) : result;
  const assigned = jsonPathAssign(state, def.Assign, selected);
  const combined = applyResultPath(state, def.ResultPath, selected);
  return { output: applyOutputPath(state, combined), assigned };
}
