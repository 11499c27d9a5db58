import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { callbackMachine, describeStateMachineCaller, failMachine, functionArn, passMachine } from './definitions';
import { namedError } from './fake-lambda';
import {
  errorOf,
  historyOf,
  parsed,
  roleArn,
  startHarness,
  stopHarness,
  waitForEnd,
  waitForEvent,
  type Harness,
} from './harness';

let harness: Harness;
/** Task tokens the Notify function received, in order. */
let tokens: string[];

beforeEach(async () => {
  harness = await startHarness();
  tokens = [];
  harness.lambda.define('Notify', (event) => {
    tokens.push((event as { token: string }).token);
    return { notified: true };
  });
});
afterEach(() => stopHarness(harness));

const createMachine = async (name: string, definition: string, type: 'STANDARD' | 'EXPRESS' = 'STANDARD') =>
  (await harness.client.send(new CreateStateMachineCommand({ name, definition, roleArn, type }))).stateMachineArn!;

describe('StartExecution / DescribeExecution', () => {
  it('runs a STANDARD execution and describes it with AWS members', async () => {
    const stateMachineArn = await createMachine('Greeter', passMachine);
    const started = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'hello-1', input: '{"name":"Ada"}' }),
    );
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:Greeter:hello-1');
    expect(started.startDate).toBeInstanceOf(Date);

    const described = await waitForEnd(harness.client, started.executionArn!);
    expect(described).toMatchObject({
      executionArn: started.executionArn,
      stateMachineArn,
      name: 'hello-1',
      status: 'SUCCEEDED',
      startDate: started.startDate,
      stopDate: expect.any(Date),
      input: '{"name":"Ada"}',
      inputDetails: { included: true },
      outputDetails: { included: true },
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
    });
    expect(parsed(described.output)).toEqual({ greeting: 'Hello, Ada' });
  });

  it('names the execution with a UUID and gives it {} when name and input are left out', async () => {
    const stateMachineArn = await createMachine(
      'Greeter',
      JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
    );
    const { executionArn } = await harness.client.send(new StartExecutionCommand({ stateMachineArn }));
    expect(executionArn).toMatch(/:execution:Greeter:[0-9a-f-]{36}$/);
    expect(parsed((await waitForEnd(harness.client, executionArn!)).output)).toEqual({});
  });

  it('reports a failed execution with its error and cause', async () => {
    const stateMachineArn = await createMachine('Refuser', failMachine);
    const { executionArn } = await harness.client.send(new StartExecutionCommand({ stateMachineArn }));
    const described = await waitForEnd(harness.client, executionArn!);
    expect(described).toMatchObject({
      status: 'FAILED',
      error: 'RoomUnavailable',
      cause: 'No room is free',
      redriveStatus: 'REDRIVABLE',
    });
    expect(described.output).toBeUndefined();
  });

  it('is idempotent for the same name and input while running; otherwise ExecutionAlreadyExists', async () => {
    const stateMachineArn = await createMachine('Flow', callbackMachine());
    const first = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'once', input: '{"a":1}' }),
    );
    const again = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'once', input: '{"a":1}' }),
    );
    expect(again).toEqual(expect.objectContaining({ executionArn: first.executionArn, startDate: first.startDate }));
    await expect(
      harness.client.send(new StartExecutionCommand({ stateMachineArn, name: 'once', input: '{"a":2}' })),
    ).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
      message: `Execution Already Exists: '${first.executionArn}'`,
    });
    await harness.client.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    await expect(
      harness.client.send(new StartExecutionCommand({ stateMachineArn, name: 'once', input: '{"a":1}' })),
    ).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
  });

  it('refuses input that is not JSON, bad names and unknown state machines', async () => {
    const stateMachineArn = await createMachine('Greeter', passMachine);
    const badInput = await errorOf(
      harness.client.send(new StartExecutionCommand({ stateMachineArn, input: 'not json' })),
    );
    expect(badInput.name).toBe('InvalidExecutionInput');
    expect(badInput.message).toMatch(/^Invalid State Machine Execution Input: '.*not json.*'$/);
    await expect(
      harness.client.send(new StartExecutionCommand({ stateMachineArn, name: 'a/b' })),
    ).rejects.toMatchObject({
      name: 'InvalidName',
      message: "Invalid Name: 'a/b'",
    });
    await expect(
      harness.client.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}2` })),
    ).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
    await expect(
      harness.client.send(new StartExecutionCommand({ stateMachineArn, input: 'x'.repeat(262145) })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144",
    });
    const missing = 'arn:aws:states:us-east-1:123456789012:execution:Greeter:nope';
    await expect(harness.client.send(new DescribeExecutionCommand({ executionArn: missing }))).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
      message: `Execution Does Not Exist: '${missing}'`,
    });
  });
});

describe('EXPRESS state machines', () => {
  it('StartSyncExecution answers the result, 200 even when the execution fails', async () => {
    const greeter = await createMachine('ExpressGreeter', passMachine, 'EXPRESS');
    const result = await harness.client.send(
      new StartSyncExecutionCommand({ stateMachineArn: greeter, name: 'sync-1', input: '{"name":"Bo"}' }),
    );
    expect(result).toMatchObject({
      executionArn: expect.stringMatching(
        /^arn:aws:states:us-east-1:123456789012:express:ExpressGreeter:sync-1:[0-9a-f-]{36}$/,
      ),
      stateMachineArn: greeter,
      name: 'sync-1',
      status: 'SUCCEEDED',
      input: '{"name":"Bo"}',
      inputDetails: { included: true },
      outputDetails: { included: true },
      billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: expect.any(Number) },
    });
    expect(result.billingDetails!.billedDurationInMilliseconds! % 100).toBe(0);
    expect(parsed(result.output)).toEqual({ greeting: 'Hello, Bo' });

    const refuser = await createMachine('ExpressRefuser', failMachine, 'EXPRESS');
    const failed = await harness.client.send(new StartSyncExecutionCommand({ stateMachineArn: refuser }));
    expect(failed).toMatchObject({ status: 'FAILED', error: 'RoomUnavailable', cause: 'No room is free' });
    expect(failed.output).toBeUndefined();
  });

  it('StartSyncExecution leaves input and output out with includedData METADATA_ONLY', async () => {
    const greeter = await createMachine('ExpressGreeter', passMachine, 'EXPRESS');
    const result = await harness.client.send(
      new StartSyncExecutionCommand({
        stateMachineArn: greeter,
        input: '{"name":"Bo"}',
        includedData: 'METADATA_ONLY',
      }),
    );
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      inputDetails: { included: false },
      outputDetails: { included: false },
    });
    expect(result.input).toBeUndefined();
    expect(result.output).toBeUndefined();
  });

  it('refuses StartSyncExecution for STANDARD, and describe/history/stop/list for EXPRESS, like AWS', async () => {
    const standard = await createMachine('Standard', passMachine);
    await expect(
      harness.client.send(new StartSyncExecutionCommand({ stateMachineArn: standard })),
    ).rejects.toMatchObject({
      name: 'StateMachineTypeNotSupported',
      message: 'This operation is not supported by this type of state machine',
    });
    const express = await createMachine('Express', passMachine, 'EXPRESS');
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn: express, input: '{"name":"x"}' }),
    );
    expect(executionArn).toMatch(/:express:Express:/);
    const notHere = { name: 'InvalidArn', message: "Invalid Arn: 'Resource type not valid in this context: express'" };
    await expect(harness.client.send(new DescribeExecutionCommand({ executionArn }))).rejects.toMatchObject(notHere);
    await expect(harness.client.send(new GetExecutionHistoryCommand({ executionArn }))).rejects.toMatchObject(notHere);
    await expect(harness.client.send(new StopExecutionCommand({ executionArn }))).rejects.toMatchObject(notHere);
    await expect(
      harness.client.send(new DescribeStateMachineForExecutionCommand({ executionArn })),
    ).rejects.toMatchObject(notHere);
    await expect(harness.client.send(new ListExecutionsCommand({ stateMachineArn: express }))).rejects.toMatchObject({
      name: 'StateMachineTypeNotSupported',
    });
  });
});

describe('ListExecutions', () => {
  it('lists newest first, filters by status and pages', async () => {
    const flow = await createMachine('Flow', callbackMachine());
    const names = ['one', 'two', 'three'];
    for (const name of names) await harness.client.send(new StartExecutionCommand({ stateMachineArn: flow, name }));
    await harness.client.send(
      new StopExecutionCommand({ executionArn: `arn:aws:states:us-east-1:123456789012:execution:Flow:two` }),
    );

    const all = await harness.client.send(new ListExecutionsCommand({ stateMachineArn: flow }));
    expect(all.executions!.map((execution) => execution.name)).toEqual(['three', 'two', 'one']);
    expect(all.executions![0]).toEqual({
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:Flow:three',
      stateMachineArn: flow,
      name: 'three',
      status: 'RUNNING',
      startDate: expect.any(Date),
      redriveCount: 0,
    });
    const aborted = await harness.client.send(
      new ListExecutionsCommand({ stateMachineArn: flow, statusFilter: 'ABORTED' }),
    );
    expect(aborted.executions!.map((execution) => [execution.name, execution.status])).toEqual([['two', 'ABORTED']]);

    const page1 = await harness.client.send(new ListExecutionsCommand({ stateMachineArn: flow, maxResults: 2 }));
    const page2 = await harness.client.send(
      new ListExecutionsCommand({ stateMachineArn: flow, maxResults: 2, nextToken: page1.nextToken }),
    );
    expect([...page1.executions!, ...page2.executions!].map((execution) => execution.name)).toEqual([
      'three',
      'two',
      'one',
    ]);
    expect(page2.nextToken).toBeUndefined();
  });

  it('validates statusFilter and needs a state machine', async () => {
    const flow = await createMachine('Flow', passMachine);
    await expect(
      harness.client.send(new ListExecutionsCommand({ stateMachineArn: flow, statusFilter: 'succeeded' as never })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value 'succeeded' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]",
    });
    await expect(harness.client.send(new ListExecutionsCommand({}))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Must provide a StateMachine ARN or MapRun ARN',
    });
    await expect(harness.client.send(new ListExecutionsCommand({ stateMachineArn: `${flow}x` }))).rejects.toMatchObject(
      {
        name: 'StateMachineDoesNotExist',
      },
    );
  });
});

describe('StopExecution', () => {
  it('aborts a running execution with its error and cause; stopping it again changes nothing', async () => {
    const flow = await createMachine('Flow', callbackMachine());
    const { executionArn } = await harness.client.send(new StartExecutionCommand({ stateMachineArn: flow }));
    const stopped = await harness.client.send(
      new StopExecutionCommand({ executionArn, error: 'Cancelled', cause: 'by the agent' }),
    );
    expect(stopped.stopDate).toBeInstanceOf(Date);
    await expect(harness.client.send(new DescribeExecutionCommand({ executionArn }))).resolves.toMatchObject({
      status: 'ABORTED',
      error: 'Cancelled',
      cause: 'by the agent',
      stopDate: stopped.stopDate,
    });
    const events = await historyOf(harness.client, executionArn!);
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      previousEventId: 0,
      executionAbortedEventDetails: { error: 'Cancelled', cause: 'by the agent' },
    });
    await expect(harness.client.send(new StopExecutionCommand({ executionArn }))).resolves.toMatchObject({
      stopDate: stopped.stopDate,
    });
  });
});

describe('GetExecutionHistory', () => {
  it("returns AWS's events with epoch-second timestamps, in pages, reversed on request, without data on request", async () => {
    const greeter = await createMachine('Greeter', passMachine);
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn: greeter, input: '{"name":"Ada"}' }),
    );
    await waitForEnd(harness.client, executionArn!);
    const events = await historyOf(harness.client, executionArn!);
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events[0]).toEqual({
      id: 1,
      previousEventId: 0,
      type: 'ExecutionStarted',
      timestamp: expect.any(Date),
      executionStartedEventDetails: { input: '{"name":"Ada"}', inputDetails: { truncated: false }, roleArn },
    });
    expect(parsed(events[3].executionSucceededEventDetails!.output)).toEqual({ greeting: 'Hello, Ada' });

    const page1 = await harness.client.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 3, reverseOrder: true }),
    );
    expect(page1.events!.map((event) => event.id)).toEqual([4, 3, 2]);
    const page2 = await harness.client.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 3, reverseOrder: true, nextToken: page1.nextToken }),
    );
    expect(page2.events!.map((event) => event.id)).toEqual([1]);
    await expect(
      harness.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3, nextToken: page1.nextToken })),
    ).rejects.toMatchObject({ name: 'InvalidToken' });

    const bare = await harness.client.send(
      new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }),
    );
    expect(bare.events![0].executionStartedEventDetails).toEqual({ roleArn });
    expect(bare.events![1].stateEnteredEventDetails).toEqual({ name: 'Greet' });
  });
});

describe('task tokens: SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat', () => {
  it('SendTaskSuccess completes the waiting task with that output; the token then is TaskTimedOut', async () => {
    const flow = await createMachine('Flow', callbackMachine());
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn: flow, input: '{"IncidentId":"i-1"}' }),
    );
    await waitForEvent(harness.client, executionArn!, 'TaskSubmitted');
    expect(harness.lambda.calls[0]).toEqual({
      functionName: functionArn('Notify'),
      event: { token: tokens[0], input: { IncidentId: 'i-1' } },
    });

    await harness.client.send(new SendTaskHeartbeatCommand({ taskToken: tokens[0] }));
    await harness.client.send(
      new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{"Score":80,"Result":"PASSED"}' }),
    );
    const described = await waitForEnd(harness.client, executionArn!);
    expect(described.status).toBe('SUCCEEDED');
    expect(parsed(described.output)).toEqual({ Score: 80, Result: 'PASSED' });

    const types = (await historyOf(harness.client, executionArn!)).map((event) => event.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const submitted = (await historyOf(harness.client, executionArn!))[4];
    expect(submitted.taskSubmittedEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
    });
    expect(parsed(submitted.taskSubmittedEventDetails!.output)).toMatchObject({
      StatusCode: 200,
      Payload: { notified: true },
    });

    await expect(
      harness.client.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{}' })),
    ).rejects.toMatchObject({
      name: 'TaskTimedOut',
      message: "Task Timed Out: 'Provided task does not exist anymore'",
    });
    await expect(harness.client.send(new SendTaskHeartbeatCommand({ taskToken: tokens[0] }))).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
  });

  it('SendTaskFailure fails the task with its error and cause', async () => {
    const flow = await createMachine('Flow', callbackMachine());
    const { executionArn } = await harness.client.send(new StartExecutionCommand({ stateMachineArn: flow }));
    await waitForEvent(harness.client, executionArn!, 'TaskSubmitted');
    await harness.client.send(
      new SendTaskFailureCommand({ taskToken: tokens[0], error: 'ExamNotSat', cause: 'no answer' }),
    );
    await expect(waitForEnd(harness.client, executionArn!)).resolves.toMatchObject({
      status: 'FAILED',
      error: 'ExamNotSat',
      cause: 'no answer',
    });
  });

  it('refuses unknown tokens and output that is not JSON', async () => {
    await expect(
      harness.client.send(new SendTaskSuccessCommand({ taskToken: 'never-issued', output: '{}' })),
    ).rejects.toMatchObject({
      name: 'InvalidToken',
      message: "Invalid Token: 'Invalid token'",
    });
    await expect(harness.client.send(new SendTaskFailureCommand({ taskToken: 'never-issued' }))).rejects.toMatchObject({
      name: 'InvalidToken',
    });
    const invalid = await errorOf(
      harness.client.send(new SendTaskSuccessCommand({ taskToken: 'never-issued', output: '{not json' })),
    );
    expect(invalid.name).toBe('InvalidOutput');
    expect(invalid.message).toMatch(/^Invalid Output: '/);
  });

  it('a Lambda function error fails the task with the errorType, and the submit never happens', async () => {
    harness.lambda.define('Notify', () => {
      throw namedError('ValidationError', 'StudentEmail is required');
    });
    const flow = await createMachine('Flow', callbackMachine());
    const { executionArn } = await harness.client.send(new StartExecutionCommand({ stateMachineArn: flow }));
    const described = await waitForEnd(harness.client, executionArn!);
    expect(described).toMatchObject({ status: 'FAILED', error: 'ValidationError' });
    expect(parsed(described.cause)).toMatchObject({
      errorType: 'ValidationError',
      errorMessage: 'StudentEmail is required',
    });
    expect((await historyOf(harness.client, executionArn!)).map((event) => event.type)).not.toContain('TaskSubmitted');
  });
});

describe('aws-sdk:sfn from a state machine', () => {
  it('calls this API with PascalCase parameters and answers PascalCase, without SDK metadata', async () => {
    const target = await createMachine('Target', passMachine);
    const caller = await createMachine(
      'Caller',
      describeStateMachineCaller(target, {
        resultSelector: {
          'Name.$': '$.Name',
          'Type.$': '$.Type',
          'Status.$': '$.Status',
          'CreationDate.$': '$.CreationDate',
        },
      }),
    );
    const { executionArn } = await harness.client.send(new StartExecutionCommand({ stateMachineArn: caller }));
    const described = await waitForEnd(harness.client, executionArn!);
    expect(described.status).toBe('SUCCEEDED');
    expect(parsed(described.output)).toEqual({
      Name: 'Target',
      Type: 'STANDARD',
      Status: 'ACTIVE',
      CreationDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('names its errors Sfn.<Name>', async () => {
    const caller = await createMachine(
      'Caller',
      describeStateMachineCaller('arn:aws:states:us-east-1:123456789012:stateMachine:Missing'),
    );
    const { executionArn } = await harness.client.send(new StartExecutionCommand({ stateMachineArn: caller }));
    await expect(waitForEnd(harness.client, executionArn!)).resolves.toMatchObject({
      status: 'FAILED',
      error: 'Sfn.StateMachineDoesNotExistException',
      cause: expect.stringContaining(
        "State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:Missing' (Service: Sfn, Status Code: 400",
      ),
    });
  });
});
