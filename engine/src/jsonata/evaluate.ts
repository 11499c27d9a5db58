/**
 * JSONata-mode evaluation: `{% expression %}` strings inside any JSONata field, with `$states` and the workflow
 * variables bound, AWS's functions registered, and AWS's States.QueryEvaluationError texts.
 */
import jsonata from 'jsonata';
import { StatesError } from '../errors/states-error';
import { isPlainObject, setOwn } from '../json/objects';
import type { VariableScope } from '../variables/scope';
import { expressionOf } from './expression';
import { bindStepFunctionsFunctions } from './functions';

/** `$states` as AWS defines it: input and context everywhere, result / errorOutput only in Output and Assign. */
export interface StatesBinding {
  input: unknown;
  context: Record<string, unknown>;
  result?: unknown;
  errorOutput?: unknown;
}

/** $now() and $millis() read the engine's clock (jsonata's own read the system time). */
const fromMillis = jsonata('$fromMillis(ms, picture, timezone)');
function clockFunctions(nowMs: number): Record<string, unknown> {
  return {
    millis: () => nowMs,
    now: (picture?: string, timezone?: string) => fromMillis.evaluate({ ms: nowMs, picture, timezone }),
  };
}

const QUERY_ERROR = 'States.QueryEvaluationError';

/**
 * An expression's States.QueryEvaluationError, with the field it was in as AWS names it in EvaluationFailed's
 * location: a nested one with '/' ('Output/result', 'Arguments/FunctionName', recorded in LocalStack's
 * AWS-validated test_assign_reference_variables test_undefined_reference).
 */
export class ExpressionError extends StatesError {
  constructor(
    cause: string,
    readonly field: string,
  ) {
    super(QUERY_ERROR, cause);
  }
}

const compiled = new Map<string, jsonata.Expression>();

/**
 * Guardrails (jsonata's own options): an expression that loops or recurses without end fails with jsonata's
 * D1012 "Evaluation timeout" / D1011 "Stack overflow" as a States.QueryEvaluationError instead of hanging the
 * host (jsonata evaluates on promises alone, so a runaway expression starves the whole event loop). The timeout
 * is wall-clock time spent evaluating, measured by jsonata itself: a CPU budget, not workflow time (the Clock).
 */
const JSONATA_LIMITS = { timeout: 5_000, stack: 10_000 } as const;

function compile(expression: string, field: string): jsonata.Expression {
  let expr = compiled.get(expression);
  if (!expr) {
    try {
      expr = jsonata(expression, { ...JSONATA_LIMITS });
    } catch (error) {
      throw new ExpressionError(
        `The JSONata expression '${expression}' specified for the field '${field}' could not be parsed: ${describe(error)}`,
        field,
      );
    }
    bindStepFunctionsFunctions(expr);
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(expression, expr);
  }
  return expr;
}

function describe(error: unknown): string {
  if (error && typeof error === 'object') {
    const { code, message } = error as { code?: string; message?: string };
    return code ? `${code}: ${message ?? ''}`.trim() : String(message ?? error);
  }
  return String(error);
}

class UnsupportedValue extends Error {}

/**
 * JSONata results become plain JSON: sequences lose their marker properties, functions and non-finite numbers
 * are rejected (AWS: "returned an unsupported result type").
 */
function toJsonValue(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UnsupportedValue();
    return value;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) if (item !== undefined) out.push(toJsonValue(item));
    return out;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as object))
      if (item !== undefined) setOwn(out, key, toJsonValue(item));
    return out;
  }
  throw new UnsupportedValue();
}

/** Evaluates one expression for the field `field` (AWS names nested fields with '/': 'Output/result'). */
export async function evaluateExpression(
  expression: string,
  field: string,
  states: StatesBinding,
  vars: VariableScope,
  nowMs?: number,
): Promise<unknown> {
  const expr = compile(expression, field);
  const bindings = vars.bindings(nowMs === undefined ? {} : clockFunctions(nowMs));
  bindings.states = states;
  let result: unknown;
  try {
    result = await expr.evaluate(undefined, bindings);
  } catch (error) {
    throw new ExpressionError(
      `The JSONata expression '${expression}' specified for the field '${field}' threw an error during evaluation. ${describe(error)}`,
      field,
    );
  }
  if (result === undefined) {
    throw new ExpressionError(
      `The JSONata expression '${expression}' specified for the field '${field}' returned nothing (undefined).`,
      field,
    );
  }
  try {
    return toJsonValue(result);
  } catch (error) {
    if (error instanceof UnsupportedValue) {
      throw new ExpressionError(
        `The JSONata expression '${expression}' specified for the field '${field}' returned an unsupported result type.`,
        field,
      );
    }
    throw error;
  }
}

/** Evaluates every `{% %}` string inside a JSONata field's value (objects and arrays at any depth). */
export async function evaluateTemplate(
  value: unknown,
  field: string,
  states: StatesBinding,
  vars: VariableScope,
  nowMs?: number,
): Promise<unknown> {
  const expression = expressionOf(value);
  if (expression !== undefined) return evaluateExpression(expression, field, states, vars, nowMs);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++)
      out.push(await evaluateTemplate(value[i], `${field}/${i}`, states, vars, nowMs));
    return out;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      setOwn(out, key, await evaluateTemplate(item, `${field}/${key}`, states, vars, nowMs));
    return out;
  }
  return value;
}
