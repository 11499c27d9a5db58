/** What a JSONPath expression can see while a state is evaluated. */
import type { VariableScope } from '../variables/scope';

export interface EvalEnv {
  /** `$`: the value the current processing step works on. */
  data: unknown;
  /** The context object (`$$`), built on first use. */
  context(): Record<string, unknown>;
  vars: VariableScope;
}
