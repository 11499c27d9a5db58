/**
 * Parallel: every branch runs on the same input, concurrently; the output is the array of branch outputs.
 * The first branch to fail stops the others and fails the state (then Retry/Catch apply).
 */
import { withErrorHandling } from '../error-handling';
import { Failure } from '../failure';
import { exitState, nextOf, runFrame, type StateRun, type Transition } from '../interpreter';
import { applyInputPath, applyParameters, finishOutput, jsonataArguments } from '../io';
import { abortChildren, childAbort, childFrame, type ChildBlock } from './branches';

export function runParallel(state: StateRun): Promise<Transition> {
  return withErrorHandling(state, () => attempt(state));
}

async function attempt(state: StateRun): Promise<Transition> {
  const { run, frame, def } = state;
  const input =
    state.queryLanguage === 'JSONata'
      ? ((await jsonataArguments(state, def.Arguments)) ?? state.input)
      : applyParameters(state, applyInputPath(state, state.input), def.Parameters);
  const started = run.emit(frame, 'ParallelStateStarted');
  const { controller, dispose } = childAbort(frame);
  const branches: ChildBlock[] = def.Branches;
  let results: unknown[];
  try {
    results = await Promise.all(
      branches.map((branch) =>
        runFrame(run, childFrame(branch, frame, state.queryLanguage, controller.signal, started.id, false), input).catch((error) => {
          abortChildren(controller);
          throw error;
        }),
      ),
    );
  } catch (error) {
    if (error instanceof Failure) run.emit(frame, 'ParallelStateFailed', undefined, run.lastEventId());
    throw error;
  } finally {
    dispose();
  }
  run.emit(frame, 'ParallelStateSucceeded', undefined, run.lastEventId());
  const { output, assigned } = await finishOutput(state, results, { selectResult: true, hasResult: true, jsonataDefault: results });
  return exitState(state, output, assigned, nextOf(def));
}
