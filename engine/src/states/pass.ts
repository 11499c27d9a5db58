/** Pass: passes its input (or Result / Parameters / Output) to its output. */
import type { PassState } from '../asl/states';
import { exitState, nextOf } from '../execution/exit-state';
import type { StateRun, Transition } from '../execution/state-run';
import { finishOutput } from '../io/finish-output';
import { applyInputPath, applyParameters } from '../io/jsonpath';

export async function runPass(state: StateRun<PassState>): Promise<Transition> {
  const { def } = state;
  if (state.queryLanguage === 'JSONata') {
    const { output, assigned } = await finishOutput(state, undefined, {
      selectResult: false,
      hasResult: false,
      jsonataDefault: state.input,
    });
    return exitState(state, output, assigned, nextOf(def));
  }
  const effective = applyInputPath(state, state.input);
  const result = 'Result' in def ? def.Result : applyParameters(state, effective, def.Parameters);
  const { output, assigned } = await finishOutput(state, result, {
    selectResult: false,
    hasResult: true,
    jsonataDefault: undefined,
  });
  return exitState(state, output, assigned, nextOf(def));
}
