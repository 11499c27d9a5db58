/**
 * X-Ray for executions (state machines with tracing enabled, as the template's are): every Lambda task of an
 * execution is invoked with the execution's trace header, so the local dashboard can show its traces.
 */
import { CreateStateMachineCommand, StartExecutionCommand, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import type { LambdaInvokeResult } from '../../local/lambda-runner/index';
import { functionArn } from './definitions';
import { FakeLambda } from './fake-lambda';
import { roleArn, startHarness, stopHarness, waitForEnd, type Harness } from './harness';

/** A FakeLambda that also records the trace header each invocation came with. */
class TracedLambda extends FakeLambda {
  readonly traceHeaders: (string | undefined)[] = [];
  override invoke(
    functionName: string,
    event: unknown,
    options?: { traceHeader?: string },
  ): Promise<LambdaInvokeResult> {
    this.traceHeaders.push(options?.traceHeader);
    return super.invoke(functionName, event);
  }
}

const twoTasks = JSON.stringify({
  StartAt: 'First',
  States: {
    First: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: functionArn('Echo'), 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Next: 'Second',
    },
    Second: { Type: 'Task', Resource: functionArn('Echo'), End: true },
  },
});

let harness: Harness;
let lambda: TracedLambda;

beforeAll(async () => {
  lambda = new TracedLambda({ Echo: (event) => event });
  harness = await startHarness({ lambda });
});
afterAll(() => stopHarness(harness));
beforeEach(() => {
  lambda.traceHeaders.length = 0;
});

async function machine(name: string, tracing: boolean, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): Promise<string> {
  const created = await harness.client.send(
    new CreateStateMachineCommand({
      name,
      definition: twoTasks,
      roleArn,
      type,
      ...(tracing ? { tracingConfiguration: { enabled: true } } : {}),
    }),
  );
  return created.stateMachineArn!;
}

async function localExecution(executionArn: string): Promise<{ traceId?: string }> {
  const response = await fetch(`${harness.server.url}/_local/executions/${encodeURIComponent(executionArn)}`);
  return ((await response.json()) as { execution: { traceId?: string } }).execution;
}

describe('the X-Ray trace of an execution', () => {
  it('is a new trace id per execution when tracing is enabled, given to every Lambda task and shown by the dashboard endpoints', async () => {
    const stateMachineArn = await machine('Traced', true);
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn, input: '{"a":1}' }),
    );
    await waitForEnd(harness.client, executionArn!);
    const { traceId } = await localExecution(executionArn!);
    expect(traceId).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(lambda.traceHeaders).toEqual([`Root=${traceId};Sampled=1`, `Root=${traceId};Sampled=1`]);

    const listed = await (
      await fetch(`${harness.server.url}/_local/executions?stateMachineArn=${encodeURIComponent(stateMachineArn)}`)
    ).json();
    expect(listed.executions[0]).toMatchObject({ executionArn, traceId });

    const { executionArn: second } = await harness.client.send(new StartExecutionCommand({ stateMachineArn }));
    await waitForEnd(harness.client, second!);
    expect((await localExecution(second!)).traceId).not.toBe(traceId);
  });

  it('joins the trace of the traceHeader the caller passed, which DescribeExecution still answers as it was given', async () => {
    const stateMachineArn = await machine('TracedExpress', true, 'EXPRESS');
    const traceHeader = 'Root=1-65f0a000-0123456789abcdef01234567;Parent=89abcdef01234567;Sampled=1';
    const result = await harness.client.send(
      new StartSyncExecutionCommand({ stateMachineArn, input: '{}', traceHeader }),
    );
    expect(result).toMatchObject({ status: 'SUCCEEDED', traceHeader });
    expect(await localExecution(result.executionArn!)).toMatchObject({
      traceId: '1-65f0a000-0123456789abcdef01234567',
    });
    expect(lambda.traceHeaders).toEqual([
      'Root=1-65f0a000-0123456789abcdef01234567;Sampled=1',
      'Root=1-65f0a000-0123456789abcdef01234567;Sampled=1',
    ]);
  });

  it('is none without tracing: the tasks get no trace header and the execution no trace id', async () => {
    const stateMachineArn = await machine('Untraced', false);
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn, traceHeader: 'Root=1-65f0a000-0123456789abcdef01234567' }),
    );
    await waitForEnd(harness.client, executionArn!);
    expect(await localExecution(executionArn!)).not.toHaveProperty('traceId');
    expect(lambda.traceHeaders).toEqual([undefined, undefined]);
  });
});
