/** PublishStateMachineVersion, ListStateMachineVersions and DeleteStateMachineVersion (state-machine-versions.ts). */
import type { OperationHandler } from '../context';
import { listPage } from '../pagination';
import { epochSeconds } from '../wire-format';

export const publishStateMachineVersion: OperationHandler = ({ versions }, request) => {
  const version = versions.publish(request.stateMachineArn as string, {
    description: request.description as string | undefined,
    revisionId: request.revisionId as string | undefined,
  });
  return { stateMachineVersionArn: version.stateMachineVersionArn, creationDate: epochSeconds(version.creationDate) };
};

export const listStateMachineVersions: OperationHandler = ({ stateMachines, versions }, request) => {
  const { stateMachineArn } = stateMachines.get(request.stateMachineArn as string);
  return listPage(
    versions.of(stateMachineArn),
    (version) => version.stateMachineVersionArn,
    request,
    `ListStateMachineVersions:${stateMachineArn}`,
    'stateMachineVersions',
    (version) => ({
      stateMachineVersionArn: version.stateMachineVersionArn,
      creationDate: epochSeconds(version.creationDate),
    }),
  );
};

export const deleteStateMachineVersion: OperationHandler = ({ versions, aliases }, request) => {
  const arn = request.stateMachineVersionArn as string;
  versions.delete(arn, aliases.referencing(arn));
  return {};
};
