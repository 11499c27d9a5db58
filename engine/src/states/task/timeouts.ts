/** A Task's TimeoutSeconds and HeartbeatSeconds. */
import type { TaskState } from '../../asl/states';
import { StatesError } from '../../errors/states-error';
import { pathEnv } from '../../execution/bindings';
import type { StateRun } from '../../execution/state-run';
import { jsonataValue } from '../../io/jsonata';
import { expressionOf } from '../../jsonata/expression';
import { toJson } from '../../json/text';
import { readFieldPath } from '../../paths/evaluate';

/** TimeoutSeconds / HeartbeatSeconds: a literal, a *Path (JSONPath) or an expression (JSONata); a positive integer. */
export async function taskSeconds(
  state: StateRun<TaskState>,
  field: 'TimeoutSeconds' | 'HeartbeatSeconds',
  effective: unknown,
): Promise<number | undefined> {
  const { def } = state;
  const pathField = `${field}Path` as const;
  const path = def[pathField];
  let value: unknown;
  if (path !== undefined) {
    value = readFieldPath(path, pathEnv(state, effective));
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw new StatesError(
        'States.Runtime',
        `The ${pathField} parameter does not reference a positive integer value: ${path} == ${toJson(value)}`,
      );
    }
    return value;
  }
  const literal = def[field];
  if (literal === undefined) return undefined;
  value = state.queryLanguage === 'JSONata' ? await jsonataValue(state, literal, field) : literal;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new StatesError(
      'States.QueryEvaluationError',
      `The JSONata expression '${expressionOf(literal) ?? literal}' specified for the field '${field}' returned an unexpected result type. Expected 'integer', but was '${typeof value}' for value: ${toJson(value)}`,
    );
  }
  return value;
}
