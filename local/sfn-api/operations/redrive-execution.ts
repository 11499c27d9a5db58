/**
 * RedriveExecution: continues a FAILED, TIMED_OUT or ABORTED STANDARD execution from what did not succeed
 * (engine/src/execution/redrive.ts says what runs again), in the same history and file, with AWS's errors:
 * ExecutionDoesNotExist, ExecutionNotRedrivable (its message is the redriveStatusReason DescribeExecution gives),
 * InvalidArn, ValidationException. A client token already used answers the same redriveDate without a second
 * redrive, as AWS does for its last 10 tokens within 15 minutes.
 */
import { ExecutionError } from '@serverless-workflows/sfn-engine';
import type { OperationHandler, SfnApiContext } from '../context';
import { executionNotRedrivable } from '../errors';
import { eventsOf, type ExecutionEntry } from '../executions';
import type { MockTestCase } from '../mock-config/mock-config';
import { redriveOfToken, redriveState } from '../redrive-status';
import { standardExecution } from './execution-operations';
import { epochSeconds } from '../wire-format';

export const redriveExecution: OperationHandler = (context, request) => {
  const entry = standardExecution(context, request.executionArn as string);
  const clientToken = request.clientToken as string | undefined;
  const earlier =
    clientToken === undefined ? undefined : redriveOfToken(eventsOf(entry), clientToken, context.clock.now());
  if (earlier) return { redriveDate: epochSeconds(earlier.timestamp) };
  const state = redriveState(context, entry);
  if (state.redriveStatus === 'NOT_REDRIVABLE') throw executionNotRedrivable(state.redriveStatusReason);
  try {
    const redriven = context.executions.redrive(entry, testCaseOf(context, entry), clientToken ? { clientToken } : {});
    return { redriveDate: epochSeconds(redriven.live!.info.redriveDate!) };
  } catch (error) {
    if (error instanceof ExecutionError && error.name === 'ExecutionNotRedrivable') {
      throw executionNotRedrivable(error.message);
    }
    throw error;
  }
};

/** The mock test case a mocked execution ran, again (the mock config file may have changed since). */
function testCaseOf(context: SfnApiContext, entry: ExecutionEntry): MockTestCase | undefined {
  const { meta } = entry;
  if (!meta.testCase) return undefined;
  if (!context.mockConfig) {
    throw executionNotRedrivable(
      `the execution ran the mock test case '${meta.testCase}' but no mock config file is loaded (set SFN_MOCK_CONFIG)`,
    );
  }
  return context.mockConfig.current().testCase(meta.stateMachineName, meta.testCase, meta.stateMachine.definition);
}
