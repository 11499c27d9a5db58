/** Pass: passes its input (or Result / Parameters / Output) to its output. */
import { exitState, nextOf, type StateRun, type Transition } from '../interpreter';
import { applyInputPath, applyParameters, finishOutput } from '../io';

export async function runPass(state: StateRun): Promise<Transition> {
  const { def } = state;
  if (state.queryLanguage === 'JSONata') {
    const { output, assigned } = await finishOutput(state, undefined, { selectResult: false, hasResult: false, jsonataDefault: state.input });
    return exitState(state, output, assigned, nextOf(def));
  }
  const effective = applyInputPath(state, state.input);
  const result = 'Result' in def ? def.Result : applyParameters(state, effective, def.Parameters);
  const { output, assigned } = await finishOutput(state, result, { selectResult: false, hasResult: true, jsonataDefault: undefined });
  return exitState(state, output, assigned, nextOf(def));
}
