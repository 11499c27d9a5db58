/**
 * The Map state under TestState: its settings and data flow recorded for the inspection, and, with a mock, the
 * mocked result in place of its iterations (AWS tests a Map only with a mock). stateConfiguration's
 * mapIterationFailureCount says how many iterations failed, which ToleratedFailureCount/Percentage judge as an
 * execution would; mapItemReaderData stands for what an ItemReader would read.
 */
import type { MapState } from '../../asl/states';
import { StatesError } from '../../errors/states-error';
import { Failure } from '../../execution/failure';
import type { StateRun, Transition } from '../../execution/state-run';
import type { MockOutcome, TestSession } from '../../test-state/session';
import { finishMap } from './finish';
import { exceeds } from './tolerance';

/** The items an ItemReader reads, as stateConfiguration.mapItemReaderData gives them (TestState only). */
export function readerItems(state: StateRun<MapState>): unknown[] | undefined {
  const data = state.run.testState?.mapItemReaderData;
  if (data === undefined || state.def.ItemReader === undefined) return undefined;
  if (!Array.isArray(data)) throw new StatesError('States.Runtime', 'The mapItemReaderData must be a JSON array.');
  return data;
}

export function inspectMap(
  state: StateRun<MapState>,
  session: TestSession,
  flow: {
    items: unknown[];
    inputs: unknown[];
    maxConcurrency: number | undefined;
    toleratedCount: number | undefined;
    toleratedPercentage: number | undefined;
  },
): void {
  const { def } = state;
  if (state.queryLanguage === 'JSONPath') session.record('afterItemsPath', flow.items);
  if ((def.ItemSelector ?? def.Parameters) !== undefined) session.record('afterItemSelector', flow.inputs);
  session.setting('maxConcurrency', flow.maxConcurrency ?? 0);
  session.setting('toleratedFailureCount', flow.toleratedCount);
  session.setting('toleratedFailurePercentage', flow.toleratedPercentage);
}

export function mockedMap(
  state: StateRun<MapState>,
  mock: MockOutcome,
  session: TestSession,
  toleratedCount: number | undefined,
  toleratedPercentage: number | undefined,
): Promise<Transition> {
  if (!mock.ok) throw new Failure(mock.error, mock.cause);
  const results = mock.output;
  const failed = session.mapIterationFailureCount ?? 0;
  const total = Array.isArray(results) ? results.length : 0;
  const tolerant = toleratedCount !== undefined || toleratedPercentage !== undefined;
  // AWS judges the failed iterations only against a tolerance: a Map without one succeeds with the mocked result.
  if (tolerant && failed > 0 && exceeds(failed, total, toleratedCount, toleratedPercentage)) {
    throw new Failure(
      'States.ExceedToleratedFailureThreshold',
      'The specified tolerated failure threshold was exceeded',
    );
  }
  return finishMap(state, results);
}
