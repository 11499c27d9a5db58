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
  const session = state.run.testState;
  let result: unknown;
  if ('Result' in def) {
    result = def.Result;
    session?.record('result', result);
  } else {
    const effective = applyInputPath(state, state.input);
    result = applyParameters(state, effective, def.Parameters);
    session?.record('afterInputPath', effective);
    session?.record('afterParameters', result);
  }
  const { output, assigned } = await finishOutput(state, result, {
    selectResult: false,
    hasResult: true,
    jsonataDefault: undefined,
  });
  return exitState(state, output, assigned, nextOf(def));
}
