/** The Map state's items: read (ItemsPath / Items), batched (ItemBatcher) and shaped per iteration (ItemSelector). */
import type { MapState } from '../../asl/states';
import { StatesError } from '../../errors/states-error';
import { pathEnv, statesBinding } from '../../execution/bindings';
import { Failure, FieldError } from '../../execution/failure';
import type { StateRun } from '../../execution/state-run';
import { jsonataValue } from '../../io/jsonata';
import { evaluateTemplate } from '../../jsonata/evaluate';
import { expressionOf } from '../../jsonata/expression';
import { unexpectedType } from '../../jsonata/unexpected-type';
import { isPlainObject } from '../../json/objects';
import { toJson } from '../../json/text';
import { readFieldPath } from '../../paths/evaluate';
import { evaluatePayload } from '../../paths/payload-template';
import { numericSetting } from './settings';

/**
 * TestState's words for an ItemsPath that selects no array, as AWS answered them (LocalStack's recordings,
 * v2/test_state/test_state_context_object, test_state_map_context_object): the path with a context path's `$$`
 * written `$`, and no state prefix.
 */
function testStateItemsError(itemsPath: string): Failure {
  return new Failure('States.Runtime', `Reference path "${itemsPath.replace(/^\$\$/, '$')}" must point to array.`);
}

export async function readItems(state: StateRun<MapState>, effective: unknown): Promise<unknown[]> {
  const { def } = state;
  const jsonata = state.queryLanguage === 'JSONata';
  if (jsonata && def.Items !== undefined) {
    const items = await jsonataValue(state, def.Items, 'Items');
    if (!Array.isArray(items)) {
      const error = unexpectedType(expressionOf(def.Items), 'Items', 'array', items);
      throw new FieldError(error.error, error.cause ?? '', 'Items');
    }
    return items;
  }
  const items =
    !jsonata && def.ItemsPath !== undefined ? readFieldPath(def.ItemsPath, pathEnv(state, effective)) : effective;
  if (!Array.isArray(items)) {
    if (state.run.testState && !jsonata && def.ItemsPath !== undefined) throw testStateItemsError(def.ItemsPath);
    throw new StatesError(
      jsonata ? 'States.QueryEvaluationError' : 'States.Runtime',
      `Map state input must be an array but was: ${toJson(items)}`,
    );
  }
  return items;
}

/** ItemBatcher (distributed): groups items into {Items: [...], BatchInput}. */
export async function batch(state: StateRun<MapState>, items: unknown[], effective: unknown): Promise<unknown[]> {
  const batcher = state.def.ItemBatcher;
  if (!isPlainObject(batcher)) return items;
  const perBatch = (await numericSetting(state, batcher, 'MaxItemsPerBatch', effective, 'integer')) ?? items.length;
  const batchInput = batcher.BatchInput;
  const batches: unknown[] = [];
  for (let i = 0; i < items.length; i += Math.max(1, perBatch)) {
    const entry: Record<string, unknown> = { Items: items.slice(i, i + Math.max(1, perBatch)) };
    if (batchInput !== undefined) entry.BatchInput = batchInput;
    batches.push(entry);
  }
  return batches;
}

export async function iterationInput(
  state: StateRun<MapState>,
  effective: unknown,
  item: unknown,
  index: number,
): Promise<unknown> {
  const { def } = state;
  const mapItem = { Index: index, Value: item };
  if (state.queryLanguage === 'JSONata') {
    if (def.ItemSelector === undefined) return item;
    return evaluateTemplate(
      def.ItemSelector,
      'ItemSelector',
      statesBinding(state, { mapItem }),
      state.frame.vars,
      state.run.now(),
    );
  }
  const selector = def.ItemSelector ?? def.Parameters;
  if (selector === undefined) return item;
  return evaluatePayload(selector, pathEnv(state, effective, { mapItem }));
}
