/** What a state's expressions see: `$`, `$$` and the variables (JSONPath), `$states` and the variables (JSONata). */
import type { StatesBinding } from '../jsonata/evaluate';
import type { EvalEnv } from '../paths/env';
import { contextObject, type ContextExtras } from './context-object';
import type { AnyStateRun } from './state-run';

/** The JSONPath environment with `$` = data. */
export function pathEnv(state: AnyStateRun, data: unknown, extras?: ContextExtras): EvalEnv {
  let context: Record<string, unknown> | undefined;
  return {
    data,
    context: () => (context ??= contextObject(state, extras)),
    vars: state.frame.vars,
  };
}

/** `$states` for a JSONata field. */
export function statesBinding(
  state: AnyStateRun,
  extras?: ContextExtras & { result?: unknown; errorOutput?: unknown },
): StatesBinding {
  const binding: StatesBinding = { input: state.input, context: contextObject(state, extras) };
  if (extras && 'result' in extras) binding.result = extras.result;
  if (extras && 'errorOutput' in extras) binding.errorOutput = extras.errorOutput;
  return binding;
}
