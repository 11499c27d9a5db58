/**
 * JSONata input and output processing: Arguments → (the state's work) → Output and Assign, with
 * $states.input/result/errorOutput/context. Errors name the field they came from (EvaluationFailed's location).
 */
import { StatesError } from '../errors/states-error';
import { statesBinding } from '../execution/bindings';
import type { ContextExtras } from '../execution/context-object';
import { FieldError } from '../execution/failure';
import type { AnyStateRun } from '../execution/state-run';
import { evaluateExpression, evaluateTemplate, ExpressionError, type StatesBinding } from '../jsonata/evaluate';
import { hasExpression } from '../jsonata/expression';
import { isPlainObject } from '../json/objects';

/** Wraps JSONata errors with the field they came from (EvaluationFailed's location). */
async function jsonataField(
  value: unknown,
  field: string,
  binding: StatesBinding,
  state: AnyStateRun,
): Promise<unknown> {
  try {
    return await evaluateTemplate(value, field, binding, state.frame.vars, state.run.now());
  } catch (error) {
    if (error instanceof StatesError && !(error instanceof FieldError)) {
      throw new FieldError(error.error, error.cause ?? '', error instanceof ExpressionError ? error.field : field);
    }
    throw error;
  }
}

/** Evaluates a single JSONata field value (literal or expression) such as Items, Seconds, TimeoutSeconds. */
export async function jsonataValue(
  state: AnyStateRun,
  value: unknown,
  field: string,
  extras?: ContextExtras,
): Promise<unknown> {
  if (!hasExpression(value)) return value;
  return jsonataField(value, field, statesBinding(state, extras), state);
}

/** One expression (a Choice rule's Condition), its errors located at `field`. */
export async function evaluateJsonataExpression(
  state: AnyStateRun,
  expression: string,
  field: string,
  binding: StatesBinding,
): Promise<unknown> {
  try {
    return await evaluateExpression(expression, field, binding, state.frame.vars, state.run.now());
  } catch (error) {
    if (error instanceof StatesError && !(error instanceof FieldError))
      throw new FieldError(error.error, error.cause ?? '', field);
    throw error;
  }
}

export async function jsonataAssign(
  state: AnyStateRun,
  assign: unknown,
  binding: StatesBinding,
): Promise<Record<string, unknown> | undefined> {
  if (!isPlainObject(assign)) return undefined;
  return (await jsonataField(assign, 'Assign', binding, state)) as Record<string, unknown>;
}

export async function jsonataOutput(
  state: AnyStateRun,
  output: unknown,
  binding: StatesBinding,
  fallback: unknown,
): Promise<unknown> {
  if (output === undefined) return fallback;
  return jsonataField(output, 'Output', binding, state);
}

/** JSONata Arguments (Task, Parallel); undefined when absent. */
export async function jsonataArguments(state: AnyStateRun, args: unknown, extras?: ContextExtras): Promise<unknown> {
  if (args === undefined) return undefined;
  return jsonataField(args, 'Arguments', statesBinding(state, extras), state);
}
