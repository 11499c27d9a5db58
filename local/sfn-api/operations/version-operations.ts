/** PublishStateMachineVersion, ListStateMachineVersions and DeleteStateMachineVersion (state-machine-versions.ts). */
import type { OperationHandler } from '../context';
import { paginate } from '../pagination';
import { epochSeconds } from '../wire-format';

export const publishStateMachineVersion: OperationHandler = ({ versions }, request) => {
  const version = versions.publish(request.stateMachineArn as string, {
    description: request.description as string | undefined,
    revisionId: request.revisionId as string | undefined,
  });
  return { stateMachineVersionArn: version.stateMachineVersionArn, creationDate: epochSeconds(version.creationDate) };
};

export const listStateMachineVersions: OperationHandler = ({ stateMachines, versions }, request) => {
  const machine = stateMachines.get(request.stateMachineArn as string);
  const { page, nextToken } = paginate(
    versions.of(machine.stateMachineArn),
    (version) => version.stateMachineVersionArn,
    {
      maxResults: request.maxResults as number | undefined,
      nextToken: request.nextToken as string | undefined,
      scope: `ListStateMachineVersions:${machine.stateMachineArn}`,
    },
  );
  return {
    stateMachineVersions: page.map((version) => ({
      stateMachineVersionArn: version.stateMachineVersionArn,
      creationDate: epochSeconds(version.creationDate),
    })),
    ...(nextToken ? { nextToken } : {}),
  };
};

export const deleteStateMachineVersion: OperationHandler = ({ versions, aliases }, request) => {
  const arn = request.stateMachineVersionArn as string;
  versions.delete(arn, aliases.referencing(arn));
  return {};
};
