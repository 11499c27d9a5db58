import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  ListStateMachinesCommand,
  StartExecutionCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { callbackMachine, failMachine, passMachine } from './definitions';
import { errorOf, roleArn, startHarness, stopHarness, waitForEvent, type Harness } from './harness';

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(() => stopHarness(harness));

const create = (name: string, definition = passMachine, extra: object = {}) =>
  harness.client.send(new CreateStateMachineCommand({ name, definition, roleArn, ...extra }));

describe('CreateStateMachine / DescribeStateMachine', () => {
  it('creates a state machine with an AWS ARN and describes it', async () => {
    const created = await create('Greeter');
    expect(created.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:Greeter');
    expect(created.creationDate).toBeInstanceOf(Date);
    expect(Math.abs(created.creationDate!.getTime() - Date.now())).toBeLessThan(60_000);

    const described = await harness.client.send(
      new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }),
    );
    expect(described).toMatchObject({
      stateMachineArn: created.stateMachineArn,
      name: 'Greeter',
      status: 'ACTIVE',
      definition: passMachine,
      roleArn,
      type: 'STANDARD',
      creationDate: created.creationDate,
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    });
  });

  it('is idempotent for the same configuration (roleArn differences ignored) and refuses a different one', async () => {
    const first = await create('Greeter');
    const again = await create('Greeter', passMachine, { roleArn: 'arn:aws:iam::123456789012:role/Other' });
    expect(again).toMatchObject({ stateMachineArn: first.stateMachineArn, creationDate: first.creationDate });

    const conflict = await errorOf(create('Greeter', failMachine));
    expect(conflict).toMatchObject({
      name: 'StateMachineAlreadyExists',
      message: `State Machine Already Exists: '${first.stateMachineArn}'`,
      $metadata: { httpStatusCode: 400 },
    });
    await expect(create('Greeter', passMachine, { type: 'EXPRESS' })).rejects.toMatchObject({
      name: 'StateMachineAlreadyExists',
    });
  });

  it('refuses bad names, role ARNs and definitions with AWS error names', async () => {
    await expect(create('has space')).rejects.toMatchObject({
      name: 'InvalidName',
      message: "Invalid Name: 'has space'",
    });
    await expect(create('x'.repeat(81))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(
        "at 'name' failed to satisfy constraint: Member must have length less than or equal to 80",
      ),
    });
    await expect(create('Greeter', passMachine, { roleArn: 'not-an-arn' })).rejects.toMatchObject({
      name: 'InvalidArn',
      message: "Invalid Arn: 'Invalid ARN prefix: not-an-arn'",
    });
    const invalid = await errorOf(create('Broken', '{"StartAt": '));
    expect(invalid.name).toBe('InvalidDefinition');
    expect(invalid.message).toMatch(/^Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: /);
    await expect(create('Express', callbackMachine(), { type: 'EXPRESS' })).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message:
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support '.waitForTaskToken' service integration  at /States/Wait for result/Resource'",
    });
    await expect(create('NoStates', '{}')).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message:
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States, StartAt] at /'",
    });
    await expect(create('Typed', passMachine, { type: 'NEITHER' })).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value 'NEITHER' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]",
    });
  });

  it('says which state machine does not exist, and refuses ARNs of the wrong kind', async () => {
    const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:Nope';
    await expect(harness.client.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
      message: `State Machine Does Not Exist: '${arn}'`,
    });
    await expect(
      harness.client.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:sqs:x' })),
    ).rejects.toMatchObject({
      name: 'InvalidArn',
      message: "Invalid Arn: 'Invalid ARN prefix: arn:aws:sqs:x'",
    });
    await expect(
      harness.client.send(
        new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:execution:A:b' }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidArn',
      message: "Invalid Arn: 'Resource type not valid in this context: execution'",
    });
  });
});

describe('ListStateMachines', () => {
  it('lists by name, in pages of maxResults with an opaque nextToken', async () => {
    for (const name of ['Charlie', 'Alpha', 'Bravo']) await create(name);
    const first = await harness.client.send(new ListStateMachinesCommand({ maxResults: 2 }));
    expect(first.stateMachines!.map((machine) => machine.name)).toEqual(['Alpha', 'Bravo']);
    expect(first.stateMachines![0]).toEqual({
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Alpha',
      name: 'Alpha',
      type: 'STANDARD',
      creationDate: expect.any(Date),
    });
    expect(first.nextToken).toEqual(expect.any(String));
    const second = await harness.client.send(
      new ListStateMachinesCommand({ maxResults: 2, nextToken: first.nextToken }),
    );
    expect(second.stateMachines!.map((machine) => machine.name)).toEqual(['Charlie']);
    expect(second.nextToken).toBeUndefined();
  });

  it('refuses a garbage nextToken and an out-of-range maxResults', async () => {
    await expect(harness.client.send(new ListStateMachinesCommand({ nextToken: 'garbage' }))).rejects.toMatchObject({
      name: 'InvalidToken',
      message: "Invalid Token: 'Invalid token'",
    });
    await expect(harness.client.send(new ListStateMachinesCommand({ maxResults: 1001 }))).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
    });
  });
});

describe('UpdateStateMachine / DescribeStateMachineForExecution', () => {
  it('makes a new revision; running executions keep the one they started with', async () => {
    harness.lambda.define('Notify', () => ({}));
    const { stateMachineArn } = await create('Flow', callbackMachine());
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'before-update' }),
    );
    await waitForEvent(harness.client, executionArn!, 'TaskSubmitted');

    const updated = await harness.client.send(
      new UpdateStateMachineCommand({ stateMachineArn, definition: passMachine }),
    );
    expect(updated.updateDate).toBeInstanceOf(Date);
    expect(updated.revisionId).toEqual(expect.any(String));
    const described = await harness.client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(described).toMatchObject({ definition: passMachine, revisionId: updated.revisionId });

    const forExecution = await harness.client.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(forExecution).toMatchObject({
      stateMachineArn,
      name: 'Flow',
      definition: callbackMachine(),
      roleArn,
      updateDate: expect.any(Date),
    });
    expect(forExecution.revisionId).toBeUndefined();
    await expect(harness.client.send(new DescribeExecutionCommand({ executionArn }))).resolves.toMatchObject({
      status: 'RUNNING',
    });
  });

  it('needs something to update, and an existing state machine', async () => {
    const { stateMachineArn } = await create('Flow');
    await expect(harness.client.send(new UpdateStateMachineCommand({ stateMachineArn }))).rejects.toMatchObject({
      name: 'MissingRequiredParameter',
      message:
        'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified',
    });
    await expect(
      harness.client.send(
        new UpdateStateMachineCommand({ stateMachineArn: `${stateMachineArn}x`, definition: passMachine }),
      ),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    await expect(
      harness.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: 'nope' })),
    ).rejects.toMatchObject({
      name: 'InvalidDefinition',
    });
  });
});

describe('DeleteStateMachine', () => {
  it('deletes (and aborts its running executions); deleting an unknown ARN is not an error', async () => {
    harness.lambda.define('Notify', () => ({}));
    const { stateMachineArn } = await create('Flow', callbackMachine());
    const { executionArn } = await harness.client.send(new StartExecutionCommand({ stateMachineArn }));
    await harness.client.send(new DeleteStateMachineCommand({ stateMachineArn }));
    await expect(harness.client.send(new DescribeStateMachineCommand({ stateMachineArn }))).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
    await expect(harness.client.send(new StartExecutionCommand({ stateMachineArn }))).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
    await expect(harness.client.send(new DescribeExecutionCommand({ executionArn }))).resolves.toMatchObject({
      status: 'ABORTED',
    });
    await expect(harness.client.send(new DeleteStateMachineCommand({ stateMachineArn }))).resolves.toBeDefined();
  });
});

describe('ValidateStateMachineDefinition', () => {
  it('answers OK for a valid definition and FAIL with diagnostics for an invalid one, never an error', async () => {
    await expect(
      harness.client.send(new ValidateStateMachineDefinitionCommand({ definition: passMachine })),
    ).resolves.toMatchObject({
      result: 'OK',
      diagnostics: [],
      truncated: false,
    });
    const invalid = await harness.client.send(
      new ValidateStateMachineDefinitionCommand({ definition: 'not a definition' }),
    );
    expect(invalid.result).toBe('FAIL');
    expect(invalid.diagnostics).toEqual([
      expect.objectContaining({ severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION' }),
    ]);
    const express = await harness.client.send(
      new ValidateStateMachineDefinitionCommand({ definition: callbackMachine(), type: 'EXPRESS' }),
    );
    expect(express).toMatchObject({
      result: 'FAIL',
      diagnostics: [
        {
          severity: 'ERROR',
          code: 'SCHEMA_VALIDATION_FAILED',
          location: '/States/Wait for result/Resource',
          message: expect.stringContaining('.waitForTaskToken'),
        },
      ],
    });
    const truncated = await harness.client.send(
      new ValidateStateMachineDefinitionCommand({
        definition: '{"StartAt":"X","States":{"X":{"Type":"Nope"}}}',
        maxResults: 1,
      }),
    );
    expect(truncated).toMatchObject({ result: 'FAIL', truncated: true });
    expect(truncated.diagnostics).toHaveLength(1);
  });
});
