/** Succeed: ends its frame successfully, with its (processed) input as output. */
import type { SucceedState } from '../asl/states';
import { exitState } from '../execution/exit-state';
import type { StateRun, Transition } from '../execution/state-run';
import { jsonataValue } from '../io/jsonata';
import { applyInputPath, applyOutputPath } from '../io/jsonpath';

export async function runSucceed(state: StateRun<SucceedState>): Promise<Transition> {
  if (state.queryLanguage === 'JSONata') {
    const output = state.def.Output === undefined ? state.input : await jsonataValue(state, state.def.Output, 'Output');
    return exitState(state, output, undefined, undefined);
  }
  const effective = applyInputPath(state, state.input);
  state.run.testState?.record('afterInputPath', effective);
  const output = applyOutputPath(state, effective);
  return exitState(state, output, undefined, undefined);
}
