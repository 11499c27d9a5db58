/**
 * Parallel: every branch runs on the same input, concurrently; the output is the array of branch outputs.
 * The first branch to fail stops the others and fails the state (then Retry/Catch apply).
 */
import type { ParallelState } from '../asl/states';
import { withErrorHandling } from '../error-handling/with-error-handling';
import { exitState, nextOf } from '../execution/exit-state';
import { ChildFailure, Failure } from '../execution/failure';
import type { StateRun, Transition } from '../execution/state-run';
import { finishOutput } from '../io/finish-output';
import { jsonataArguments } from '../io/jsonata';
import { applyInputPath, applyParameters } from '../io/jsonpath';
import { abortChildren, childAbort, childFrame } from './branches';

export function runParallel(state: StateRun<ParallelState>): Promise<Transition> {
  return withErrorHandling(state, () => attempt(state));
}

async function attempt(state: StateRun<ParallelState>): Promise<Transition> {
  const { run, frame, def } = state;
  // TestState with a mock (AWS tests a Parallel only with one): the mocked branch results, no branch runs.
  const mock = run.testState?.mock;
  if (mock) {
    if (!mock.ok) throw new Failure(mock.error, mock.cause);
    return finishParallel(state, mock.output);
  }
  const input =
    state.queryLanguage === 'JSONata'
      ? ((await jsonataArguments(state, def.Arguments)) ?? state.input)
      : applyParameters(state, applyInputPath(state, state.input), def.Parameters);
  const started = run.emit(frame, 'ParallelStateStarted');
  const { controller, dispose } = childAbort(frame);
  const branches = def.Branches;
  let firstError: unknown;
  let failedAt = 0;
  const results: unknown[] = [];
  // Every branch settles before the state does, so the branches stopped by a failure record their
  // *StateAborted events before ParallelStateFailed, as AWS orders them.
  await Promise.all(
    branches.map(async (branch, index) => {
      try {
        results[index] = await state.runFrame(
          run,
          childFrame(branch, frame, state.queryLanguage, controller.signal, started.id, false),
          input,
        );
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
    throw firstError instanceof Failure ? new ChildFailure(firstError, failedAt) : firstError;
  }
  // ParallelStateSucceeded and ParallelStateExited both follow the last branch event.
  frame.lastEventId = run.lastEventId();
  run.emit(null, 'ParallelStateSucceeded', undefined, frame.lastEventId);
  return finishParallel(state, results);
}

async function finishParallel(state: StateRun<ParallelState>, results: unknown): Promise<Transition> {
  const { output, assigned } = await finishOutput(state, results, {
    selectResult: true,
    hasResult: true,
    jsonataDefault: results,
  });
  return exitState(state, output, assigned, nextOf(state.def));
}
