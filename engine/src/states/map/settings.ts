/**
 * The Map state's numeric settings (MaxConcurrency, ToleratedFailureCount/Percentage, ItemBatcher's
 * MaxItemsPerBatch): a literal, a *Path (JSONPath) or an expression (JSONata).
 */
import type { JsonataValue } from '../../asl/common';
import type { MapState } from '../../asl/states';
import { StatesError } from '../../errors/states-error';
import { pathEnv } from '../../execution/bindings';
import type { StateRun } from '../../execution/state-run';
import { jsonataValue } from '../../io/jsonata';
import { expressionOf } from '../../jsonata/expression';
import { unexpectedType } from '../../jsonata/unexpected-type';
import { toJson } from '../../json/text';
import { readFieldPath } from '../../paths/evaluate';

function quoted(value: unknown): string {
  return `"${typeof value === 'string' ? value : toJson(value)}"`;
}

const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The number a *Path setting selects. AWS also takes a string that spells a number of the right kind (a variable
 * assigned "1" works as MaxConcurrencyPath, ToleratedFailureCountPath and ToleratedFailurePercentagePath), and
 * rejects any other string ("NoNumber").
 */
function numericPathValue(value: unknown, kind: 'integer' | 'float'): number | undefined {
  if (typeof value === 'string' && (kind === 'integer' ? INTEGER_TEXT : DECIMAL_TEXT).test(value)) return Number(value);
  if (typeof value === 'number' && (kind === 'float' || Number.isInteger(value))) return value;
  return undefined;
}

/** The numeric settings, each with its *Path form: the Map's own and its ItemBatcher's. */
type SettingField = 'MaxConcurrency' | 'ToleratedFailureCount' | 'ToleratedFailurePercentage' | 'MaxItemsPerBatch';
type SettingFields = { [F in SettingField]?: JsonataValue<number> } & { [F in `${SettingField}Path`]?: string };

/**
 * A numeric setting of `fields` (the Map state or its ItemBatcher): literal, *Path (JSONPath) or expression
 * (JSONata).
 */
export async function numericSetting(
  state: StateRun<MapState>,
  fields: SettingFields,
  field: SettingField,
  effective: unknown,
  kind: 'integer' | 'float',
): Promise<number | undefined> {
  const pathField = `${field}Path` as const;
  const path = fields[pathField];
  if (path !== undefined) {
    const value = readFieldPath(path, pathEnv(state, effective));
    const number = numericPathValue(value, kind);
    if (number === undefined) {
      throw new StatesError(
        'States.Runtime',
        `The ${pathField} field refers to value ${quoted(value)} which is not a valid ${kind}: ${path}`,
      );
    }
    return number;
  }
  const literal = fields[field];
  if (literal === undefined) return undefined;
  const value = state.queryLanguage === 'JSONata' ? await jsonataValue(state, literal, field) : literal;
  if (typeof value !== 'number' || (kind === 'integer' && !Number.isInteger(value))) {
    throw unexpectedType(expressionOf(literal), field, kind === 'integer' ? 'integer' : 'number', value);
  }
  return value;
}
