/**
 * Integrations with Step Functions Local's mocking (docs/stepfunctions-local.md §5.2): a Task state that
 * the execution's test case mocks never reaches its service; its `attempt`-th invocation (counted per
 * state per execution across retries and loops, by the engine) gets the mocked Return or Throw.
 * A mocked `.waitForTaskToken` task is submitted and then completed at once with the Return value, as if
 * SendTaskSuccess had been called with it; a Throw fails it like SendTaskFailure.
 */
import type { Integrations, TaskOutcome, TaskRequest } from '@serverless-workflows/sfn-engine';
import type { MockTestCase } from './mock-config';

export class MockedIntegrations implements Integrations {
  constructor(
    private readonly real: Integrations,
    /** an Error when the execution's test case can no longer be read (a resumed execution whose mock config broke) */
    private readonly testCaseOf: (executionArn: string) => MockTestCase | Error | undefined,
    /** completes a callback task, i.e. the engine's sendTaskSuccess */
    private readonly completeCallback: (taskToken: string, output: unknown) => void,
  ) {}

  async invoke(request: TaskRequest): Promise<TaskOutcome> {
    const testCase = this.testCaseOf(request.executionArn);
    // Never call a real service for an execution that was meant to be mocked.
    if (testCase instanceof Error) return { ok: false, error: 'States.Runtime', cause: testCase.message };
    if (!testCase?.isMocked(request.stateName)) return this.real.invoke(request);
    const outcome = testCase.outcome(request.stateName, request.attempt);
    const { taskToken } = request;
    if (taskToken === undefined || !outcome.ok) return outcome;
    // Complete after the engine has recorded the submission (TaskSubmitted), so the history reads like AWS's.
    setImmediate(() => {
      if (!request.signal.aborted) this.completeCallback(taskToken, outcome.output);
    });
    return outcome;
  }
}
