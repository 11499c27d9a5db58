/**
 * Step Functions ARNs in AWS's formats (docs/stepfunctions-local.md §1.2):
 *   arn:aws:states:<region>:<account>:stateMachine:<name>
 *   arn:aws:states:<region>:<account>:execution:<stateMachineName>:<executionName>
 *   arn:aws:states:<region>:<account>:express:<stateMachineName>:<executionName>:<uuid>
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

/** A state machine ARN (unqualified: versions and aliases are not supported locally). */
export function parseStateMachineArn(value: string): ParsedStatesArn & { name: string } {
  const parsed = parseStatesArn(value);
  if (parsed.resourceType !== 'stateMachine') throw resourceTypeNotValid(parsed.resourceType);
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
