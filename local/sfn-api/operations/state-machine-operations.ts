/**
 * CreateStateMachine, DescribeStateMachine, ListStateMachines, UpdateStateMachine, DeleteStateMachine and
 * ValidateStateMachineDefinition.
 */
import { validateDefinition } from '@serverless-workflows/sfn-engine';
import { parseQualifiedStateMachineArn } from '../arns';
import { stateMachineDoesNotExist } from '../errors';
import type { OperationHandler } from '../context';
import { infoOf } from '../executions';
import type { CreateStateMachineRequest, UpdateStateMachineRequest } from '../state-machines';
import { describeStateMachine } from '../state-machines';
import { listPage } from '../pagination';
import { epochSeconds } from '../wire-format';

/** `publish: true` publishes the new revision (or answers its version): stateMachineVersionArn in the answer. */
export const createStateMachine: OperationHandler = ({ stateMachines, versions }, request) => {
  const { record } = stateMachines.create(request as unknown as CreateStateMachineRequest);
  const version =
    request.publish === true
      ? versions.publish(record.stateMachineArn, { description: request.versionDescription as string | undefined })
      : undefined;
  return {
    stateMachineArn: record.stateMachineArn,
    creationDate: epochSeconds(record.creationDate),
    ...(version ? { stateMachineVersionArn: version.stateMachineVersionArn } : {}),
  };
};

/** A state machine, or one of its versions (`<arn>:<number>`): the version's frozen revision, its own ARN and date. */
export const describeStateMachineOperation: OperationHandler = ({ stateMachines, versions }, request) => {
  const arn = request.stateMachineArn as string;
  const includeDefinition = request.includedData !== 'METADATA_ONLY';
  const parsed = parseQualifiedStateMachineArn(arn);
  if (parsed.qualifier === undefined) return describeStateMachine(stateMachines.get(arn), includeDefinition);
  const machine = stateMachines.get(parsed.unqualified);
  // Only versions: AWS describes a version ARN; an alias ARN names no revision of its own.
  if (parsed.version === undefined) throw stateMachineDoesNotExist(arn);
  const version = versions.get(arn);
  const { description, revisionId } = version;
  return {
    ...describeStateMachine({ ...machine, ...version, revisionId, stateMachineArn: arn }, includeDefinition),
    creationDate: epochSeconds(version.creationDate),
    ...(revisionId === undefined ? {} : { revisionId }),
    ...(description === undefined ? {} : { description }),
  };
};

export const listStateMachines: OperationHandler = ({ stateMachines }, request) =>
  listPage(
    stateMachines.list(),
    (record) => record.stateMachineArn,
    request,
    'ListStateMachines',
    'stateMachines',
    (record) => ({
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      type: record.type,
      creationDate: epochSeconds(record.creationDate),
    }),
  );

export const updateStateMachine: OperationHandler = ({ stateMachines, versions }, request) => {
  const record = stateMachines.update(request as unknown as UpdateStateMachineRequest);
  const version =
    request.publish === true
      ? versions.publish(record.stateMachineArn, { description: request.versionDescription as string | undefined })
      : undefined;
  return {
    updateDate: epochSeconds(record.updateDate),
    ...(record.revisionId !== undefined ? { revisionId: record.revisionId } : {}),
    ...(version ? { stateMachineVersionArn: version.stateMachineVersionArn } : {}),
  };
};

/**
 * Deleting a state machine deletes its versions and aliases too (DeleteStateMachine API reference: "This API
 * action also deletes all versions and aliases associated with a state machine") and stops its running executions
 * (AWS ends them at their next transition).
 */
export const deleteStateMachine: OperationHandler = (
  { stateMachines, versions, aliases, executions, engine },
  request,
) => {
  const removed = stateMachines.delete(request.stateMachineArn as string);
  if (removed) {
    aliases.deleteAllOf(removed.stateMachineArn);
    versions.deleteAllOf(removed.stateMachineArn);
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
