/**
 * The one table from a state's `Type` to the runner of that type. Each runner receives the state's definition
 * narrowed to its own type (StateRun<TaskState> for Task, ...); run-frame.ts dispatches through this table.
 */
import type { StateType } from '../asl/states';
import type { StateRunner } from '../execution/state-run';
import { runChoice } from './choice/choice';
import { runFail } from './fail';
import { runMap } from './map/map';
import { runParallel } from './parallel';
import { runPass } from './pass';
import { runSucceed } from './succeed';
import { runTask } from './task/task';
import { runWait } from './wait';

export const stateRunners: { readonly [T in StateType]: StateRunner<T> } = {
  Pass: runPass,
  Task: runTask,
  Choice: runChoice,
  Wait: runWait,
  Succeed: runSucceed,
  Fail: runFail,
  Parallel: runParallel,
  Map: runMap,
};
