/** The operations this API serves, by X-Amz-Target operation name: every operation of the service model 2016-11-23. */
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
import { redriveExecution } from './redrive-execution';
import { testStateOperation } from './test-state-operation';
import { sendTaskFailure, sendTaskHeartbeat, sendTaskSuccess } from './task-operations';
import {
  createActivity,
  deleteActivity,
  describeActivityOperation,
  getActivityTask,
  listActivities,
} from './activity-operations';
import {
  createStateMachineAlias,
  deleteStateMachineAlias,
  describeStateMachineAlias,
  listStateMachineAliases,
  updateStateMachineAlias,
} from './alias-operations';
import { describeMapRun, listMapRuns, updateMapRun } from './map-run-operations';
import { listTagsForResource, tagResource, untagResource } from './tag-operations';
import { deleteStateMachineVersion, listStateMachineVersions, publishStateMachineVersion } from './version-operations';

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
  PublishStateMachineVersion: publishStateMachineVersion,
  ListStateMachineVersions: listStateMachineVersions,
  DeleteStateMachineVersion: deleteStateMachineVersion,
  CreateStateMachineAlias: createStateMachineAlias,
  DescribeStateMachineAlias: describeStateMachineAlias,
  UpdateStateMachineAlias: updateStateMachineAlias,
  DeleteStateMachineAlias: deleteStateMachineAlias,
  ListStateMachineAliases: listStateMachineAliases,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
  CreateActivity: createActivity,
  DescribeActivity: describeActivityOperation,
  ListActivities: listActivities,
  DeleteActivity: deleteActivity,
  GetActivityTask: getActivityTask,
  RedriveExecution: redriveExecution,
  TestState: testStateOperation,
  DescribeMapRun: describeMapRun,
  ListMapRuns: listMapRuns,
  UpdateMapRun: updateMapRun,
};

export const isServedOperation = (name: string): name is Operation => Object.hasOwn(operations, name);
