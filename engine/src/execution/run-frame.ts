/**
 * The interpreter loop: a frame runs its states one after another; each state is entered, handed to the runner
 * of its type (states/runners.ts) and exited, with AWS's events.
 */
import type { StateOfType, StateType } from '../asl/states';
import { toJson } from '../json/text';
import { stateRunners } from '../states/runners';
import { asFailure } from './as-failure';
import { BranchAborted } from './failure';
import type { Frame } from './frame';
import type { Run } from './run';
import type { StateRun, Transition } from './state-run';

/** Runs a frame from its StartAt to an End (or a Succeed state); returns the frame's output. */
export async function runFrame(run: Run, frame: Frame, input: unknown): Promise<unknown> {
  let name = frame.startAt;
  let data = input;
  const clock = run.host.clock;
  for (;;) {
    // The host's turn, when this engine has run states long enough without one (Clock.pace).
    for (let turn = clock.pace?.(); turn; turn = clock.pace?.()) await turn;
    const transition = await runState(run, frame, name, data);
    if (transition.next === undefined) return transition.output;
    name = transition.next;
    data = transition.output;
  }
}

/** The runner of the state's own type, with the state's definition narrowed to that type. */
function dispatch<T extends StateType>(type: T, state: StateRun<StateOfType<T>>): Promise<Transition> | Transition {
  return stateRunners[type](state);
}

/** Enters one state, runs it with the runner of its type and answers where the frame goes next. */
export async function runState(
  run: Run,
  frame: Frame,
  name: string,
  input: unknown,
  retryCount = 0,
): Promise<Transition> {
  const def = frame.states[name];
  const entered = run.emit(frame, `${def.Type}StateEntered`, {
    name,
    input: toJson(input),
    inputDetails: { truncated: false },
  });
  const state: StateRun = {
    run,
    frame,
    name,
    def,
    queryLanguage: def.QueryLanguage ?? frame.queryLanguage,
    input,
    entered,
    retryCount,
    runFrame,
  };
  // A Parallel or Map that ended well in a redriven execution's record replays its branches' failures as they were.
  frame.childrenSettled = run.exitedInRecord(entered);
  try {
    return await dispatch(def.Type, state);
  } catch (error) {
    if (error instanceof BranchAborted) {
      run.emitAborted(frame, `${def.Type}StateAborted`);
      throw error;
    }
    // Redriven: a state that failed (or was cut short) in an earlier attempt runs again, its retries afresh.
    if (run.runsAgain(frame, error)) return runState(run, frame, name, input);
    throw asFailure(state, error);
  }
}
