/**
 * Map: runs its ItemProcessor (or legacy Iterator) once per item, at most MaxConcurrency at a time, and outputs
 * the results in item order. ItemSelector (legacy Parameters) shapes each iteration's input with $$.Map.Item.
 * A distributed Map without an ItemReader runs with the same semantics (its iterations cannot see outer
 * variables; ItemBatcher groups items); ToleratedFailureCount/Percentage let some iterations fail.
 */
import { StatesError } from '../errors';
import { withErrorHandling } from '../error-handling';
import { BranchAborted, Failure } from '../failure';
import { exitState, nextOf, pathEnv, runFrame, statesBinding, type StateRun, type Transition } from '../interpreter';
import { applyInputPath, finishOutput, jsonataValue } from '../io';
import { evaluatePayload, readFieldPath } from '../jsonpath-eval';
import { evaluateTemplate, expressionOf, unexpectedType } from '../jsonata/evaluate';
import { isPlainObject, toJson } from '../json';
import { abortChildren, childAbort, childFrame, type ChildBlock } from './branches';

export function runMap(state: StateRun): Promise<Transition> {
  return withErrorHandling(state, () => attempt(state));
}

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

/** A numeric Map setting: literal, *Path (JSONPath) or expression (JSONata). */
async function setting(state: StateRun, field: string, effective: unknown, kind: 'integer' | 'float'): Promise<number | undefined> {
  const { def } = state;
  const pathField = `${field}Path`;
  if (def[pathField] !== undefined) {
    const value = readFieldPath(def[pathField], pathEnv(state, effective));
    const number = numericPathValue(value, kind);
    if (number === undefined) {
      throw new StatesError('States.Runtime', `The ${pathField} field refers to value ${quoted(value)} which is not a valid ${kind}: ${def[pathField]}`);
    }
    return number;
  }
  if (def[field] === undefined) return undefined;
  const value = state.queryLanguage === 'JSONata' ? await jsonataValue(state, def[field], field) : def[field];
  if (typeof value !== 'number' || (kind === 'integer' && !Number.isInteger(value))) {
    throw unexpectedType(expressionOf(def[field]), field, kind === 'integer' ? 'integer' : 'number', value);
  }
  return value;
}

async function readItems(state: StateRun, effective: unknown): Promise<unknown[]> {
  const { def } = state;
  const jsonata = state.queryLanguage === 'JSONata';
  if (jsonata && def.Items !== undefined) {
    const items = await jsonataValue(state, def.Items, 'Items');
    if (!Array.isArray(items)) throw unexpectedType(expressionOf(def.Items), 'Items', 'array', items);
    return items;
  }
  const items = !jsonata && def.ItemsPath !== undefined ? readFieldPath(def.ItemsPath, pathEnv(state, effective)) : effective;
  if (!Array.isArray(items)) {
    throw new StatesError(jsonata ? 'States.QueryEvaluationError' : 'States.Runtime', `Map state input must be an array but was: ${toJson(items)}`);
  }
  return items;
}

/** ItemBatcher (distributed): groups items into {Items: [...], BatchInput}. */
async function batch(state: StateRun, items: unknown[], effective: unknown): Promise<unknown[]> {
  const batcher = state.def.ItemBatcher;
  if (!isPlainObject(batcher)) return items;
  const perBatch = (await setting({ ...state, def: batcher }, 'MaxItemsPerBatch', effective, 'integer')) ?? items.length;
  const batchInput = batcher.BatchInput;
  const batches: unknown[] = [];
  for (let i = 0; i < items.length; i += Math.max(1, perBatch)) {
    const entry: Record<string, unknown> = { Items: items.slice(i, i + Math.max(1, perBatch)) };
    if (batchInput !== undefined) entry.BatchInput = batchInput;
    batches.push(entry);
  }
  return batches;
}

async function iterationInput(state: StateRun, effective: unknown, item: unknown, index: number): Promise<unknown> {
  const { def } = state;
  const mapItem = { Index: index, Value: item };
  if (state.queryLanguage === 'JSONata') {
    if (def.ItemSelector === undefined) return item;
    return evaluateTemplate(def.ItemSelector, 'ItemSelector', statesBinding(state, { mapItem }), state.frame.vars, state.run.now());
  }
  const selector = def.ItemSelector ?? def.Parameters;
  if (selector === undefined) return item;
  return evaluatePayload(selector, pathEnv(state, effective, { mapItem }));
}

async function attempt(state: StateRun): Promise<Transition> {
  const { run, frame, def } = state;
  const effective = state.queryLanguage === 'JSONata' ? state.input : applyInputPath(state, state.input);
  const items = await readItems(state, effective);
  const maxConcurrency = await setting(state, 'MaxConcurrency', effective, 'integer');
  if (maxConcurrency !== undefined && maxConcurrency < 0) throw new StatesError('States.Runtime', 'MaxConcurrency cannot be negative.');
  const toleratedCount = await setting(state, 'ToleratedFailureCount', effective, 'integer');
  if (toleratedCount !== undefined && toleratedCount < 0) throw new StatesError('States.Runtime', 'ToleratedFailureCount cannot be negative.');
  const toleratedPercentage = await setting(state, 'ToleratedFailurePercentage', effective, 'float');
  if (toleratedPercentage !== undefined && (toleratedPercentage < 0 || toleratedPercentage > 100)) {
    throw new StatesError('States.Runtime', 'ToleratedFailurePercentage must be between 0 and 100.');
  }
  const processor: ChildBlock & { ProcessorConfig?: { Mode?: string } } = def.ItemProcessor ?? def.Iterator;
  const distributed = processor.ProcessorConfig?.Mode === 'DISTRIBUTED';
  const units = distributed ? await batch(state, items, effective) : items;
  const inputs: unknown[] = [];
  for (let i = 0; i < units.length; i++) inputs.push(await iterationInput(state, effective, units[i], i));

  run.emit(frame, 'MapStateStarted', { length: units.length });
  const mapRunArn = `${run.info.executionArn.replace(':execution:', ':mapRun:')}/${def.Label ?? state.name}:${state.entered.id}`;
  if (distributed) run.emit(frame, 'MapRunStarted', { mapRunArn });
  const tolerant = toleratedCount !== undefined || toleratedPercentage !== undefined;
  const { controller, dispose } = childAbort(frame);
  const results: unknown[] = new Array(units.length);
  const failures: Failure[] = [];
  let nextIndex = 0;
  let firstFailure: unknown;

  let failedAt = 0;
  /** An iteration's first event follows the previous iteration's last one (or MapStateStarted). */
  let previousIterationEnd = frame.lastEventId;
  const worker = async (): Promise<void> => {
    while (nextIndex < units.length && firstFailure === undefined) {
      const index = nextIndex++;
      const started = run.emit(frame, 'MapIterationStarted', { name: state.name, index }, previousIterationEnd);
      const child = childFrame(processor, frame, state.queryLanguage, controller.signal, started.id, distributed);
      try {
        results[index] = await runFrame(run, child, inputs[index]);
        run.emit(frame, 'MapIterationSucceeded', { name: state.name, index }, child.lastEventId);
        previousIterationEnd = child.lastEventId;
      } catch (error) {
        if (error instanceof BranchAborted) {
          run.emitAborted(frame, 'MapIterationAborted', { name: state.name, index }, child.lastEventId);
          return;
        }
        if (!(error instanceof Failure)) {
          firstFailure ??= error;
          abortChildren(controller);
          return;
        }
        run.emit(frame, 'MapIterationFailed', { name: state.name, index }, child.lastEventId);
        previousIterationEnd = child.lastEventId;
        failures.push(error);
        results[index] = { Error: error.error ?? null, Cause: error.cause ?? null };
        if (firstFailure === undefined && (!tolerant || exceeds(failures.length, units.length, toleratedCount, toleratedPercentage))) {
          firstFailure = tolerant ? new Failure('States.ExceedToleratedFailureThreshold', 'The specified tolerated failure threshold was exceeded') : error;
          failedAt = run.lastEventId();
          abortChildren(controller);
          return;
        }
      }
    }
  };
  const width = maxConcurrency && maxConcurrency > 0 ? Math.min(maxConcurrency, units.length) : units.length;
  try {
    await Promise.all(Array.from({ length: Math.max(1, width) }, worker));
  } finally {
    dispose();
  }
  if (firstFailure !== undefined) {
    if (firstFailure instanceof Failure) {
      if (distributed) run.emit(frame, 'MapRunFailed', { error: firstFailure.error, cause: firstFailure.cause }, failedAt);
      run.emit(frame, 'MapStateFailed', undefined, distributed ? undefined : failedAt);
    }
    throw firstFailure;
  }
  // MapStateSucceeded and MapStateExited both follow the last iteration event (AWS: 18←17, 19←17).
  frame.lastEventId = run.lastEventId();
  if (distributed) run.emit(frame, 'MapRunSucceeded', undefined, frame.lastEventId);
  run.emit(null, 'MapStateSucceeded', undefined, frame.lastEventId);
  const { output, assigned } = await finishOutput(state, results, { selectResult: true, hasResult: true, jsonataDefault: results });
  return exitState(state, output, assigned, nextOf(def));
}

function exceeds(failed: number, total: number, count: number | undefined, percentage: number | undefined): boolean {
  const countOk = count !== undefined && failed <= count;
  const percentageOk = percentage !== undefined && total > 0 && (failed / total) * 100 <= percentage;
  return !(countOk || percentageOk);
}
