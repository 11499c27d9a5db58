/** A state machine definition, and a machine ready to run. */
import type { QueryLanguage } from './query-language';
import type { StateBlock } from './states';

export interface MachineDefinition extends StateBlock {
  TimeoutSeconds?: number;
  Version?: string;
}

/** A state machine ready to run: its parsed, validated definition and its top-level query language. */
export interface Machine {
  definition: MachineDefinition;
  queryLanguage: QueryLanguage;
}
