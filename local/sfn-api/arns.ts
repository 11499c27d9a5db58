/**
 * Step Functions ARNs in AWS's formats (docs/stepfunctions-local.md §1.2):
 *   arn:aws:states:<region>:<account>:stateMachine:<name>
 *   arn:aws:states:<region>:<account>:execution:<stateMachineName>:<executionName>
 *   arn:aws:states:<region>:<account>:express:<stateMachineName>:<executionName>:<uuid>
 *   arn:aws:states:<region>:<account>:stateMachine:<name>:<version number> (a version)
 *   arn:aws:states:<region>:<account>:stateMachine:<name>:<alias name> (an alias)
 *   arn:aws:states:<region>:<account>:activity:<name>
 *   arn:aws:states:<region>:<account>:mapRun:<stateMachineName>/<label>:<uuid>
 * Parsing is by hand: ARNs are colon-separated and no library knows Step Functions' resource types.
 */
import { invalidArn, resourceTypeNotValid } from './errors';

export interface ArnScope {
  region: string;
  accountId: string;
}

export type StatesResourceType = 'stateMachine' | 'execution' | 'express';

export interface ParsedStatesArn extends ArnScope {
  resourceType: string;
  /** the colon-separated parts after the resource type */
  parts: string[];
}

const statesPrefix = 'arn:aws:states:';

export const stateMachineArn = (scope: ArnScope, name: string) =>
  `${statesPrefix}${scope.region}:${scope.accountId}:stateMachine:${name}`;

export const standardExecutionArn = (scope: ArnScope, stateMachineName: string, name: string) =>
  `${statesPrefix}${scope.region}:${scope.accountId}:execution:${stateMachineName}:${name}`;

export const expressExecutionArn = (scope: ArnScope, stateMachineName: string, name: string, id: string) =>
  `${statesPrefix}${scope.region}:${scope.accountId}:express:${stateMachineName}:${name}:${id}`;

/** Any `arn:aws:states:` ARN split into its fields; InvalidArn when the prefix or the shape is wrong. */
export function parseStatesArn(value: string): ParsedStatesArn {
  if (!value.startsWith(statesPrefix)) throw invalidArn(value);
  const [region, accountId, resourceType, ...parts] = value.slice(statesPrefix.length).split(':');
  if (!region || !accountId || !resourceType || parts.length === 0 || parts.some((part) => part === '')) {
    throw invalidArn(value);
  }
  return { region, accountId, resourceType, parts };
}

export const stateMachineVersionArn = (stateMachineArn: string, version: number) => `${stateMachineArn}:${version}`;

export const stateMachineAliasArn = (stateMachineArn: string, alias: string) => `${stateMachineArn}:${alias}`;

export const activityArn = (scope: ArnScope, name: string) =>
  `${statesPrefix}${scope.region}:${scope.accountId}:activity:${name}`;

/** A map run's ARN and the ARN AWS gives its child workflows' state machine (`<stateMachine>/<label>`). */
export const mapRunArn = (scope: ArnScope, stateMachineName: string, label: string, id: string) =>
  `${statesPrefix}${scope.region}:${scope.accountId}:mapRun:${stateMachineName}/${label}:${id}`;

/** An unqualified state machine ARN (what UpdateStateMachine, DeleteStateMachine, ... take). */
export function parseStateMachineArn(value: string): ParsedStatesArn & { name: string } {
  const parsed = parseQualifiedStateMachineArn(value);
  if (parsed.qualifier !== undefined) throw invalidArn(value);
  return parsed;
}

/**
 * A state machine ARN, unqualified or qualified by a version (`:<number>`) or an alias (`:<alias name>`):
 * `unqualified` is the state machine's own ARN.
 */
export function parseQualifiedStateMachineArn(
  value: string,
): ParsedStatesArn & { name: string; unqualified: string; qualifier?: string; version?: number } {
  const parsed = parseStatesArn(value);
  if (parsed.resourceType !== 'stateMachine') throw resourceTypeNotValid(parsed.resourceType);
  if (parsed.parts.length > 2) throw invalidArn(value);
  const [name, qualifier] = parsed.parts;
  const unqualified = `${statesPrefix}${parsed.region}:${parsed.accountId}:stateMachine:${name}`;
  if (qualifier === undefined) return { ...parsed, name, unqualified };
  const version = /^[1-9]\d{0,8}$/.test(qualifier) ? Number(qualifier) : undefined;
  return { ...parsed, name, unqualified, qualifier, ...(version !== undefined ? { version } : {}) };
}

/** An activity ARN; InvalidArn otherwise. */
export function parseActivityArn(value: string): ParsedStatesArn & { name: string } {
  const parsed = parseStatesArn(value);
  if (parsed.resourceType !== 'activity') throw resourceTypeNotValid(parsed.resourceType);
  if (parsed.parts.length !== 1) throw invalidArn(value);
  return { ...parsed, name: parsed.parts[0] };
}

/**
 * An execution ARN. `allowExpress` is false for the operations AWS refuses for Express executions
 * (DescribeExecution, StopExecution, GetExecutionHistory, DescribeStateMachineForExecution).
 */
export function parseExecutionArn(
  value: string,
  allowExpress: boolean,
): ParsedStatesArn & { resourceType: StatesResourceType } {
  const parsed = parseStatesArn(value);
  if (parsed.resourceType === 'execution' && parsed.parts.length === 2) return { ...parsed, resourceType: 'execution' };
  if (parsed.resourceType === 'express' && parsed.parts.length === 3) {
    if (!allowExpress) throw resourceTypeNotValid('express');
    return { ...parsed, resourceType: 'express' };
  }
  if (parsed.resourceType === 'execution' || parsed.resourceType === 'express') throw invalidArn(value);
  throw resourceTypeNotValid(parsed.resourceType);
}

/** `<stateMachineArn>#<TestCase>` as Step Functions Local accepts it in StartExecution (§5.2). */
export function splitTestCase(arn: string): { stateMachineArn: string; testCase?: string } {
  const hash = arn.indexOf('#');
  if (hash < 0) return { stateMachineArn: arn };
  const testCase = arn.slice(hash + 1);
  // A bare trailing '#' runs unmocked, like Step Functions Local.
  return { stateMachineArn: arn.slice(0, hash), testCase: testCase === '' ? undefined : testCase };
}
