/**
 * Map: runs its ItemProcessor (or legacy Iterator) once per item, at most MaxConcurrency at a time, and outputs
 * the results in item order. ItemSelector (legacy Parameters) shapes each iteration's input with $$.Map.Item.
 * A distributed Map without an ItemReader runs with the same semantics (its iterations cannot see outer
 * variables; ItemBatcher groups items); ToleratedFailureCount/Percentage let some iterations fail.
 */
import type { ItemProcessor, MapState } from '../../asl/states';
import { StatesError } from '../../errors/states-error';
import { withErrorHandling } from '../../error-handling/with-error-handling';
import { BranchAborted, ChildFailure, Failure } from '../../execution/failure';
import type { StateRun, Transition } from '../../execution/state-run';
import { applyInputPath } from '../../io/jsonpath';
import { abortChildren, childAbort, childFrame } from '../branches';
import { batch, iterationInput, readItems } from './items';
import { finishMap } from './finish';
import { inspectMap, mockedMap, readerItems } from './mocked';
import { runMapRun } from './map-run';
import { numericSetting } from './settings';
import { exceeds } from './tolerance';

export function runMap(state: StateRun<MapState>): Promise<Transition> {
  return withErrorHandling(state, () => attempt(state));
}

async function attempt(state: StateRun<MapState>): Promise<Transition> {
  const { run, frame, def } = state;
  const effective = state.queryLanguage === 'JSONata' ? state.input : applyInputPath(state, state.input);
  if (state.queryLanguage === 'JSONPath') run.testState?.record('afterInputPath', effective);
  const items = readerItems(state) ?? (await readItems(state, effective));
  const maxConcurrency = await numericSetting(state, def, 'MaxConcurrency', effective, 'integer');
  if (maxConcurrency !== undefined && maxConcurrency < 0)
    throw new StatesError('States.Runtime', 'MaxConcurrency cannot be negative.');
  const processor = (def.ItemProcessor ?? def.Iterator) as ItemProcessor;
  const distributed = processor.ProcessorConfig?.Mode === 'DISTRIBUTED';
  const units = distributed ? await batch(state, items, effective) : items;
  const inputs: unknown[] = [];
  for (let i = 0; i < units.length; i++) inputs.push(await iterationInput(state, effective, units[i], i));
  const session = run.testState;
  // AWS records MapStateStarted before it reads the ToleratedFailure* settings: a bad one fails the state after it
  // (LocalStack's AWS-validated test_map_state_tolerated_failure_count_path/percentage_path histories).
  if (!session?.mock) run.emit(frame, 'MapStateStarted', { length: units.length });
  const { toleratedCount, toleratedPercentage } = await toleratedFailures(state, effective);
  if (session) {
    inspectMap(state, session, { items, inputs, maxConcurrency, toleratedCount, toleratedPercentage });
    if (session.mock) return mockedMap(state, session.mock, session, toleratedCount, toleratedPercentage);
  }

  if (distributed && run.host.mapRuns) {
    const settings = {
      processor,
      inputs,
      itemCount: items.length,
      maxConcurrency,
      toleratedCount,
      toleratedPercentage,
    };
    return runMapRun(state, run.host.mapRuns, settings);
  }
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
        results[index] = await state.runFrame(run, child, inputs[index]);
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
        if (
          firstFailure === undefined &&
          (!tolerant || exceeds(failures.length, units.length, toleratedCount, toleratedPercentage))
        ) {
          firstFailure = tolerant
            ? new Failure(
                'States.ExceedToleratedFailureThreshold',
                'The specified tolerated failure threshold was exceeded',
              )
            : error;
          failedAt = child.lastEventId;
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
    if (!(firstFailure instanceof Failure)) throw firstFailure;
    // MapStateFailed follows the failing iteration's last event (AWS: 8←7 MapIterationFailed, 9←7 MapStateFailed).
    const after = distributed
      ? run.emit(frame, 'MapRunFailed', { error: firstFailure.error, cause: firstFailure.cause }, failedAt).id
      : failedAt;
    throw new ChildFailure(firstFailure, after);
  }
  // MapStateSucceeded and MapStateExited both follow the last iteration event (AWS: 18←17, 19←17).
  frame.lastEventId = run.lastEventId();
  if (distributed) run.emit(frame, 'MapRunSucceeded', undefined, frame.lastEventId);
  run.emit(null, 'MapStateSucceeded', undefined, frame.lastEventId);
  return finishMap(state, results);
}

/** ToleratedFailureCount and ToleratedFailurePercentage (or their *Path forms), checked as AWS checks them. */
async function toleratedFailures(
  state: StateRun<MapState>,
  effective: unknown,
): Promise<{ toleratedCount?: number; toleratedPercentage?: number }> {
  const { def } = state;
  const toleratedCount = await numericSetting(state, def, 'ToleratedFailureCount', effective, 'integer');
  if (toleratedCount !== undefined && toleratedCount < 0)
    throw new StatesError('States.Runtime', 'ToleratedFailureCount cannot be negative.');
  const toleratedPercentage = await numericSetting(state, def, 'ToleratedFailurePercentage', effective, 'float');
  if (toleratedPercentage !== undefined && (toleratedPercentage < 0 || toleratedPercentage > 100)) {
    throw new StatesError('States.Runtime', 'ToleratedFailurePercentage must be between 0 and 100.');
  }
  return { toleratedCount, toleratedPercentage };
}
