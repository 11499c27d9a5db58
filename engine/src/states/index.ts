/** The state types and their handlers. */
import { registerHandlers } from '../interpreter';
import { runChoice } from './choice';
import { runMap } from './map';
import { runParallel } from './parallel';
import { runPass } from './pass';
import { runFail, runSucceed } from './succeed-fail';
import { runTask } from './task';
import { runWait } from './wait';

registerHandlers({
  Pass: runPass,
  Task: runTask,
  Choice: runChoice,
  Wait: runWait,
  Succeed: runSucceed,
  Fail: runFail,
  Parallel: runParallel,
  Map: runMap,
});
