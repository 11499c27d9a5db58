/**
 * The EventBridge event Step Functions puts on the account's default event bus when a STANDARD execution's status
 * changes ("Step Functions Execution Status Change", source aws.states; EXPRESS executions send none). The local API
 * makes it when an execution ends (SUCCEEDED, FAILED, TIMED_OUT, ABORTED: a StopExecution runs none of the workflow's
 * states, so this event is the only way anything can notice it), and the local cloud hands it to the template's
 * EventBridge rules (local/events/rules.ts). The execution's start (RUNNING) is not sent locally.
 */
import { randomUUID } from 'node:crypto';
import type { ExecutionInfo } from '@serverless-workflows/sfn-engine';
import type { ArnScope } from './arns';
import type { ExecutionMeta } from './model';

export interface ExecutionStatusChangeEvent {
  version: '0';
  id: string;
  'detail-type': 'Step Functions Execution Status Change';
  source: 'aws.states';
  account: string;
  /** when the status changed, to the second, as EventBridge writes it */
  time: string;
  region: string;
  resources: string[];
  detail: {
    executionArn: string;
    stateMachineArn: string;
    name: string;
    status: string;
    /** epoch milliseconds */
    startDate: number;
    stopDate: number | null;
    /** JSON text, as the execution was given it and as it ended with (null without output) */
    input: string;
    output: string | null;
    inputDetails: { included: boolean };
    outputDetails: { included: boolean } | null;
  };
}

export function executionStatusChangeEvent(
  info: ExecutionInfo,
  meta: ExecutionMeta,
  scope: ArnScope,
): ExecutionStatusChangeEvent {
  const changed = info.stopDate ?? info.startDate;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: scope.accountId,
    time: new Date(changed).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: scope.region,
    resources: [info.executionArn],
    detail: {
      executionArn: info.executionArn,
      stateMachineArn: meta.stateMachineArn,
      name: info.name,
      status: info.status,
      startDate: info.startDate,
      stopDate: info.stopDate ?? null,
      input: meta.input,
      output: info.output === undefined ? null : JSON.stringify(info.output),
      inputDetails: { included: true },
      outputDetails: info.output === undefined ? null : { included: true },
    },
  };
}
