/** A block of states running on its own: the top level, a Parallel branch or a Map iteration. */
import type { QueryLanguage } from '../asl/query-language';
import type { StateDefinition } from '../asl/states';
import type { VariableScope } from '../variables/scope';

export interface Frame {
  states: Record<string, StateDefinition>;
  startAt: string;
  queryLanguage: QueryLanguage;
  vars: VariableScope;
  /** The id of this frame's latest event (previousEventId of its next one). */
  lastEventId: number;
  /** Aborted when this frame must stop: the execution closed or a sibling branch failed. */
  signal: AbortSignal;
  /**
   * Redriven: this frame belongs to a Parallel or Map that ended well in the record, so its failures are replayed as
   * they happened rather than run again. `childrenSettled` says it of the frames the current state opens.
   */
  settled?: boolean;
  childrenSettled?: boolean;
}
