/** The end of a Map state: its output from the iterations' results. */
import type { MapState } from '../../asl/states';
import { exitState, nextOf } from '../../execution/exit-state';
import type { StateRun, Transition } from '../../execution/state-run';
import { finishOutput } from '../../io/finish-output';

/** The Map's output from its iterations' results (ResultSelector, ResultPath, OutputPath, or Output and Assign). */
export async function finishMap(state: StateRun<MapState>, results: unknown): Promise<Transition> {
  const { output, assigned } = await finishOutput(state, results, {
    selectResult: true,
    hasResult: true,
    jsonataDefault: results,
  });
  return exitState(state, output, assigned, nextOf(state.def));
}
