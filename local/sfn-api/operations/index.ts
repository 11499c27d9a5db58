/** The operations this API serves, by X-Amz-Target operation name, and the ones it knows but does not serve. */
import type { OperationHandler } from '../context';
import type { Operation } from '../request-schemas';
import {
  describeExecutionOperation,
  describeStateMachineForExecution,
  getExecutionHistory,
  listExecutions,
  startExecution,
  startSyncExecution,
  stopExecution,
} from './execution-operations';
import {
  createStateMachine,
  deleteStateMachine,
  describeStateMachineOperation,
  listStateMachines,
  updateStateMachine,
  validateStateMachineDefinition,
} from './state-machine-operations';
import { sendTaskFailure, sendTaskHeartbeat, sendTaskSuccess } from './task-operations';

export const operations: Record<Operation, OperationHandler> = {
  CreateStateMachine: createStateMachine,
  DescribeStateMachine: describeStateMachineOperation,
  ListStateMachines: listStateMachines,
  UpdateStateMachine: updateStateMachine,
  DeleteStateMachine: deleteStateMachine,
  StartExecution: startExecution,
  StartSyncExecution: startSyncExecution,
  DescribeExecution: describeExecutionOperation,
  ListExecutions: listExecutions,
  StopExecution: stopExecution,
  GetExecutionHistory: getExecutionHistory,
  SendTaskSuccess: sendTaskSuccess,
  SendTaskFailure: sendTaskFailure,
  SendTaskHeartbeat: sendTaskHeartbeat,
  ValidateStateMachineDefinition: validateStateMachineDefinition,
  DescribeStateMachineForExecution: describeStateMachineForExecution,
};

/** The rest of the Step Functions API (service model 2016-11-23): answered with UnsupportedOperation. */
export const unsupportedOperations = new Set([
  'CreateActivity',
  'CreateStateMachineAlias',
  'DeleteActivity',
  'DeleteStateMachineAlias',
  'DeleteStateMachineVersion',
  'DescribeActivity',
  'DescribeMapRun',
  'DescribeStateMachineAlias',
  'GetActivityTask',
  'ListActivities',
  'ListMapRuns',
  'ListStateMachineAliases',
  'ListStateMachineVersions',
  'ListTagsForResource',
  'PublishStateMachineVersion',
  'RedriveExecution',
  'TagResource',
  'TestState',
  'UntagResource',
  'UpdateMapRun',
  'UpdateStateMachineAlias',
]);

export const isServedOperation = (name: string): name is Operation => Object.hasOwn(operations, name);
