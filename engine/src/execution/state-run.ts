/** A state being executed, as its runner receives it, and what the runner answers: where the frame goes next. */
import type { QueryLanguage } from '../asl/query-language';
import type { StateCommon } from '../asl/common';
import type { StateDefinition, StateOfType, StateType } from '../asl/states';
import type { Frame } from './frame';
import type { HistoryEvent } from './history';
import type { FrameRunner, Run } from './run';

export interface StateRun<S extends StateCommon<string> = StateDefinition> {
  run: Run;
  frame: Frame;
  name: string;
  def: S;
  queryLanguage: QueryLanguage;
  /** The raw state input. */
  input: unknown;
  entered: HistoryEvent;
  /** Retries done so far ($$.State.RetryCount). */
  retryCount: number;
  /** Runs a child frame (a Parallel branch, a Map iteration) with the interpreter loop that runs this state. */
  runFrame: FrameRunner;
}

/** Where a state goes: `next` undefined ends the frame with `output`. */
export interface Transition {
  output: unknown;
  next?: string;
}

/** Runs one state of type T: it receives the state's definition narrowed to that type. */
export type StateRunner<T extends StateType> = (state: StateRun<StateOfType<T>>) => Promise<Transition> | Transition;

/** A state of any type, for the helpers every state type shares. */
export type AnyStateRun = StateRun<StateCommon<string>>;
