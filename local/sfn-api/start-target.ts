/**
 * What StartExecution, StartSyncExecution and ListExecutions are pointed at: a state machine, one of its versions
 * (`<arn>:<number>`) or one of its aliases (`<arn>:<alias>`, which routes a start to one of its versions by weight).
 * An unknown version or alias is StateMachineDoesNotExist naming the ARN given, as AWS answers
 * (LocalStack's AWS-validated test_sfn_api_versioning).
 */
import { parseQualifiedStateMachineArn } from './arns';
import type { SfnApiContext } from './context';
import { stateMachineDoesNotExist, validationException } from './errors';
import type { ExecutionMeta, StateMachineRecord, StateMachineRevision, StateMachineType } from './model';
import { chooseVersion } from './state-machine-aliases';

export interface StartTarget {
  stateMachine: StateMachineRecord;
  /** what the execution runs: the state machine's current revision, or the version's */
  revision: StateMachineRevision;
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
}

export function resolveStartTarget(context: SfnApiContext, arn: string): StartTarget {
  const parsed = parseQualifiedStateMachineArn(arn);
  const stateMachine = context.stateMachines.get(parsed.unqualified);
  if (parsed.qualifier === undefined) return { stateMachine, revision: stateMachine };
  if (parsed.version !== undefined) {
    return { stateMachine, revision: context.versions.get(arn), stateMachineVersionArn: arn };
  }
  const alias = context.aliases.find(arn);
  if (!alias) throw stateMachineDoesNotExist(arn);
  const versionArn = chooseVersion(alias.routingConfiguration, context.random);
  return {
    stateMachine,
    revision: context.versions.get(versionArn),
    stateMachineVersionArn: versionArn,
    stateMachineAliasArn: arn,
  };
}

type ListedMeta = Pick<
  ExecutionMeta,
  'stateMachineArn' | 'stateMachineVersionArn' | 'stateMachineAliasArn' | 'mapRunArn'
>;

/**
 * ListExecutions' filter: a state machine, version or alias ARN (it must exist), or a map run's ARN (its child
 * executions). "You can specify either a mapRunArn or a stateMachineArn, but not both" (ListExecutions API reference).
 */
export function executionFilter(
  context: SfnApiContext,
  stateMachineArn: string | undefined,
  mapRunArn: string | undefined,
): { type: StateMachineType; matches: (meta: ListedMeta) => boolean } {
  if (stateMachineArn === undefined && mapRunArn === undefined) {
    throw validationException('Must provide a StateMachine ARN or MapRun ARN');
  }
  if (stateMachineArn !== undefined && mapRunArn !== undefined) {
    throw validationException('Must provide only one of StateMachine ARN or MapRun ARN');
  }
  if (mapRunArn !== undefined) {
    context.mapRuns.get(mapRunArn);
    return { type: 'STANDARD', matches: (meta) => meta.mapRunArn === mapRunArn };
  }
  const arn = stateMachineArn!;
  const parsed = parseQualifiedStateMachineArn(arn);
  const { type } = context.stateMachines.get(parsed.unqualified);
  if (parsed.qualifier === undefined) return { type, matches: (meta) => meta.stateMachineArn === arn };
  if (parsed.version !== undefined) {
    context.versions.get(arn);
    return { type, matches: (meta) => meta.stateMachineVersionArn === arn };
  }
  if (!context.aliases.find(arn)) throw stateMachineDoesNotExist(arn);
  return { type, matches: (meta) => meta.stateMachineAliasArn === arn };
}
