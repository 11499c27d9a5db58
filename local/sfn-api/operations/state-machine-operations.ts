/**
 * CreateStateMachine, DescribeStateMachine, ListStateMachines, UpdateStateMachine, DeleteStateMachine and
 * ValidateStateMachineDefinition.
 */
import { validateDefinition } from '@serverless-workflows/sfn-engine';
import type { OperationHandler } from '../context';
import { infoOf } from '../executions';
import type { CreateStateMachineRequest, UpdateStateMachineRequest } from '../state-machines';
import { describeStateMachine } from '../state-machines';
import { paginate } from '../pagination';
import { epochSeconds } from '../wire-format';

export const createStateMachine: OperationHandler = ({ stateMachines }, request) => {
  const { record } = stateMachines.create(request as unknown as CreateStateMachineRequest);
  return { stateMachineArn: record.stateMachineArn, creationDate: epochSeconds(record.creationDate) };
};

export const describeStateMachineOperation: OperationHandler = ({ stateMachines }, request) =>
  describeStateMachine(stateMachines.get(request.stateMachineArn as string));

export const listStateMachines: OperationHandler = ({ stateMachines }, request) => {
  const { page, nextToken } = paginate(stateMachines.list(), (record) => record.stateMachineArn, {
    maxResults: request.maxResults as number | undefined,
    nextToken: request.nextToken as string | undefined,
    scope: 'ListStateMachines',
  });
  return {
    stateMachines: page.map((record) => ({
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      type: record.type,
      creationDate: epochSeconds(record.creationDate),
    })),
    ...(nextToken ? { nextToken } : {}),
  };
};

export const updateStateMachine: OperationHandler = ({ stateMachines }, request) => {
  const record = stateMachines.update(request as unknown as UpdateStateMachineRequest);
  return { updateDate: epochSeconds(record.updateDate), revisionId: record.revisionId };
};

/** Deleting a state machine stops its running executions (AWS ends them at their next transition). */
export const deleteStateMachine: OperationHandler = ({ stateMachines, executions, engine }, request) => {
  const removed = stateMachines.delete(request.stateMachineArn as string);
  if (removed) {
    for (const entry of executions.all()) {
      if (entry.meta.stateMachineArn === removed.stateMachineArn && entry.live && infoOf(entry).status === 'RUNNING') {
        engine.stop(entry.meta.executionArn);
      }
    }
  }
  return {};
};

export const validateStateMachineDefinition: OperationHandler = (_context, request) => {
  const severity = (request.severity as string | undefined) ?? 'ERROR';
  const maxResults = (request.maxResults as number | undefined) || 100;
  const diagnostics = validateDefinition(request.definition as string, {
    type: request.type as 'STANDARD' | 'EXPRESS' | undefined,
  }).filter((diagnostic) => severity === 'WARNING' || diagnostic.severity === 'ERROR');
  return {
    result: diagnostics.some((diagnostic) => diagnostic.severity === 'ERROR') ? 'FAIL' : 'OK',
    diagnostics: diagnostics.slice(0, maxResults).map(({ severity, code, message, location }) => ({
      severity,
      code,
      message,
      ...(location !== undefined ? { location } : {}),
    })),
    truncated: diagnostics.length > maxResults,
  };
};
