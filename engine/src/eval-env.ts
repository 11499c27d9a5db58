/** What an expression (JSONPath or JSONata) can see while a state is evaluated. */
import type { VariableScope } from './scope';

export interface EvalEnv {
  /** `$` in JSONPath: the value the current processing step works on. */
  data: unknown;
  /** The context object (`$$`, `$states.context`), built on first use. */
  context(): Record<string, unknown>;
  vars: VariableScope;
}
