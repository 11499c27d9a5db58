/**
 * The common ending of a state with a result (Pass, Task, Parallel, Map): its output and variables, in the state's
 * query language. Assign and Output both see the variables as they were on entering the state; assignments commit
 * on exit (exit-state.ts).
 */
import type { AssignField, InputOutputPaths, OutputField, ResultFields, StateCommon } from '../asl/common';
import { statesBinding } from '../execution/bindings';
import type { StateRun } from '../execution/state-run';
import { jsonataAssign, jsonataOutput } from './jsonata';
import { applyOutputPath, applyResultPath, applyResultSelector, jsonPathAssign } from './jsonpath';

type ResultState = StateCommon<string> & InputOutputPaths & ResultFields & OutputField & AssignField;

/**
 * JSONPath: ResultSelector (when `selectResult`), ResultPath, OutputPath; Assign reads the (selected) result.
 * JSONata: Output (default: `jsonataDefault`), Assign, both with $states.result.
 */
export async function finishOutput(
  state: StateRun<ResultState>,
  result: unknown,
  options: { selectResult: boolean; hasResult: boolean; jsonataDefault: unknown },
): Promise<{ output: unknown; assigned?: Record<string, unknown> }> {
  const { def } = state;
  if (state.queryLanguage === 'JSONata') {
    const binding = statesBinding(state, options.hasResult ? { result } : undefined);
    const assigned = await jsonataAssign(state, def.Assign, binding);
    const output = await jsonataOutput(state, def.Output, binding, options.jsonataDefault);
    return { output, assigned };
  }
  const selected = options.selectResult ? applyResultSelector(state, result) : result;
  const assigned = jsonPathAssign(state, def.Assign, selected);
  const combined = applyResultPath(state, def.ResultPath, selected);
  state.run.testState?.record('afterResultSelector', selected);
  state.run.testState?.record('afterResultPath', combined);
  return { output: applyOutputPath(state, combined), assigned };
}
