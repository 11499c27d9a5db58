/** Catch: the catcher's Next takes over with the error output (ResultPath, or JSONata Output/Assign). */
import type { Catcher } from '../asl/common';
import { statesBinding } from '../execution/bindings';
import { exitState } from '../execution/exit-state';
import type { Failure } from '../execution/failure';
import type { AnyStateRun, Transition } from '../execution/state-run';
import { jsonataAssign, jsonataOutput } from '../io/jsonata';
import { applyResultPath, jsonPathAssign } from '../io/jsonpath';

/** The error output a catcher receives. */
function errorOutput(failure: Failure): { Error: string | null; Cause: string | null } {
  return { Error: failure.error ?? null, Cause: failure.cause ?? null };
}

export async function caught(state: AnyStateRun, catcher: Catcher, failure: Failure): Promise<Transition> {
  const errorValue = errorOutput(failure);
  if (state.queryLanguage === 'JSONata') {
    const binding = statesBinding(state, { errorOutput: errorValue });
    const assigned = await jsonataAssign(state, catcher.Assign, binding);
    const output = await jsonataOutput(state, catcher.Output, binding, errorValue);
    return exitState(state, output, assigned, catcher.Next);
  }
  const assigned = jsonPathAssign(state, catcher.Assign, errorValue);
  const output = applyResultPath(state, catcher.ResultPath, errorValue);
  return exitState(state, output, assigned, catcher.Next);
}
