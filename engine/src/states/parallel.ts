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
  let firstError: unknown;
  let failedAt = 0;
  const results: unknown[] = [];
  // Every branch settles before the state does, so the branches stopped by a failure record their
  // *StateAborted events before ParallelStateFailed, as AWS orders them.
  await Promise.all(
    branches.map(async (branch, index) => {
      try {
        results[index] = await runFrame(run, childFrame(branch, frame, state.queryLanguage, controller.signal, started.id, false), input);
      } catch (error) {
        if (firstError === undefined) {
          firstError = error;
          failedAt = run.lastEventId();
          abortChildren(controller);
        }
      }
    }),
  );
  dispose();
  if (firstError !== undefined) {
    if (firstError instanceof Failure) run.emit(frame, 'ParallelStateFailed', undefined, failedAt);
    throw firstError;
  }
  // ParallelStateSucceeded and ParallelStateExited both follow the last branch event.
  frame.lastEventId = run.lastEventId();
  run.emit(null, 'ParallelStateSucceeded', undefined, frame.lastEventId);
  const { output, assigned } = await finishOutput(state, results, { selectResult: true, hasResult: true, jsonataDefault: results });
  return exitState(state, output, assigned, nextOf(def));
}
