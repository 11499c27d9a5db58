/**
 * CreateStateMachineAlias, DescribeStateMachineAlias, UpdateStateMachineAlias, DeleteStateMachineAlias and
 * ListStateMachineAliases (state-machine-aliases.ts).
 */
import type { OperationHandler } from '../context';
import type { RoutingConfigurationItem, StateMachineAliasRecord } from '../model';
import { listPage } from '../pagination';
import { epochSeconds } from '../wire-format';

export const createStateMachineAlias: OperationHandler = ({ aliases }, request) => {
  const alias = aliases.create({
    name: request.name as string,
    description: request.description as string | undefined,
    routingConfiguration: request.routingConfiguration as RoutingConfigurationItem[],
  });
  return { stateMachineAliasArn: alias.stateMachineAliasArn, creationDate: epochSeconds(alias.creationDate) };
};

const describeAlias = (alias: StateMachineAliasRecord) => ({
  stateMachineAliasArn: alias.stateMachineAliasArn,
  name: alias.name,
  ...(alias.description !== undefined ? { description: alias.description } : {}),
  routingConfiguration: alias.routingConfiguration,
  creationDate: epochSeconds(alias.creationDate),
  updateDate: epochSeconds(alias.updateDate),
});

export const describeStateMachineAlias: OperationHandler = ({ aliases }, request) =>
  describeAlias(aliases.get(request.stateMachineAliasArn as string));

export const updateStateMachineAlias: OperationHandler = ({ aliases }, request) => {
  const alias = aliases.update({
    stateMachineAliasArn: request.stateMachineAliasArn as string,
    description: request.description as string | undefined,
    routingConfiguration: request.routingConfiguration as RoutingConfigurationItem[] | undefined,
  });
  return { updateDate: epochSeconds(alias.updateDate) };
};

export const deleteStateMachineAlias: OperationHandler = ({ aliases }, request) => {
  aliases.delete(request.stateMachineAliasArn as string);
  return {};
};

export const listStateMachineAliases: OperationHandler = ({ stateMachines, aliases }, request) => {
  const { stateMachineArn } = stateMachines.get(request.stateMachineArn as string);
  return listPage(
    aliases.of(stateMachineArn),
    (alias) => alias.stateMachineAliasArn,
    request,
    `ListStateMachineAliases:${stateMachineArn}`,
    'stateMachineAliases',
    (alias) => ({ stateMachineAliasArn: alias.stateMachineAliasArn, creationDate: epochSeconds(alias.creationDate) }),
  );
};
