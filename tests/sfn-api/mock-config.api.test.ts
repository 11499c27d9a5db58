/** SFN_MOCK_CONFIG through the API: clear 400s for every mock setup problem, and nothing started. */
import fs from 'node:fs';
import path from 'node:path';
import {
  CreateStateMachineCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
} from '@aws-sdk/client-sfn';
import { callbackMachine, passMachine } from './definitions';
import { newDataDir, parsed, roleArn, startHarness, stopHarness, waitForEnd, type Harness } from './harness';

let harness: Harness | undefined;
let dir: string;
beforeEach(() => {
  dir = newDataDir();
});
afterEach(async () => {
  await stopHarness(harness);
  harness = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

const goodConfig = {
  StateMachines: {
    Flow: { TestCases: { Submitted: { 'Wait for result': 'ExamResult' } } },
    Sync: { TestCases: { Nothing: {} } },
  },
  MockedResponses: { ExamResult: { '0': { Return: { Score: 91 } } } },
};

async function serverWith(config: unknown): Promise<Harness & { flowArn: string }> {
  const file = path.join(dir, 'MockConfigFile.json');
  fs.writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  harness = await startHarness({ mockConfigPath: file });
  const { stateMachineArn } = await harness.client.send(
    new CreateStateMachineCommand({ name: 'Flow', definition: callbackMachine(), roleArn }),
  );
  return { ...harness, flowArn: stateMachineArn! };
}

it('runs a test case: the mocked callback task completes at once with the Return value, no function is called', async () => {
  const { client, flowArn, lambda } = await serverWith(goodConfig);
  const { executionArn } = await client.send(
    new StartExecutionCommand({ stateMachineArn: `${flowArn}#Submitted`, name: 'mocked' }),
  );
  expect(executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:Flow:mocked');
  const described = await waitForEnd(client, executionArn!);
  expect(described.status).toBe('SUCCEEDED');
  expect(parsed(described.output)).toEqual({ Score: 91 });
  expect(lambda.calls).toEqual([]);
});

it('redrives a mocked execution with its test case: the task runs again as its next invocation', async () => {
  const { client, flowArn, lambda } = await serverWith({
    StateMachines: { Flow: { TestCases: { FailsOnce: { 'Wait for result': 'FailsOnce' } } } },
    MockedResponses: {
      FailsOnce: { '0': { Throw: { Error: 'Grading.Down', Cause: 'down' } }, '1': { Return: { Score: 91 } } },
    },
  });
  const { executionArn } = await client.send(
    new StartExecutionCommand({ stateMachineArn: `${flowArn}#FailsOnce`, name: 'fails-once' }),
  );
  expect(await waitForEnd(client, executionArn!)).toMatchObject({ status: 'FAILED', error: 'Grading.Down' });
  await client.send(new RedriveExecutionCommand({ executionArn }));
  const described = await waitForEnd(client, executionArn!);
  expect(described).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
  expect(parsed(described.output)).toEqual({ Score: 91 });
  expect(lambda.calls).toEqual([]);
});

it('lets StartSyncExecution run a test case (Step Functions Local refuses that)', async () => {
  const { client } = await serverWith(goodConfig);
  const { stateMachineArn } = await client.send(
    new CreateStateMachineCommand({ name: 'Sync', definition: passMachine, roleArn, type: 'EXPRESS' }),
  );
  await expect(
    client.send(
      new StartSyncExecutionCommand({ stateMachineArn: `${stateMachineArn}#Nothing`, input: '{"name":"M"}' }),
    ),
  ).resolves.toMatchObject({
    status: 'SUCCEEDED',
  });
});

it('refuses a test case of a broken mock file with a 400 naming the file and the problems, and warns at start', async () => {
  const { client, flowArn, warnings } = await serverWith({
    StateMachines: { Flow: { TestCases: { Submitted: { 'Wait for result': 'Missing' } } } },
    MockedResponses: {},
  });
  const file = path.join(dir, 'MockConfigFile.json');
  expect(warnings).toEqual([expect.stringContaining(`The mock config file ${file} is invalid`)]);
  await expect(
    client.send(new StartExecutionCommand({ stateMachineArn: `${flowArn}#Submitted` })),
  ).rejects.toMatchObject({
    name: 'ValidationException',
    message: `The mock config file ${file} is invalid: /StateMachines/Flow/TestCases/Submitted/Wait for result: the mocked response 'Missing' is not defined in MockedResponses`,
    $metadata: { httpStatusCode: 400 },
  });
  // Without a test case the state machine still runs unmocked.
  await expect(client.send(new StartExecutionCommand({ stateMachineArn: flowArn }))).resolves.toBeDefined();
  expect((await client.send(new ListExecutionsCommand({ stateMachineArn: flowArn }))).executions).toHaveLength(1);
});

it('refuses an unknown test case, and a test case that mocks a state the definition does not have', async () => {
  const { client, flowArn } = await serverWith({
    ...goodConfig,
    StateMachines: {
      Flow: {
        TestCases: { Submitted: { 'Wait for result': 'ExamResult' }, Typo: { 'Wait for reslut': 'ExamResult' } },
      },
    },
  });
  await expect(client.send(new StartExecutionCommand({ stateMachineArn: `${flowArn}#Nope` }))).rejects.toMatchObject({
    name: 'InvalidName',
    message: expect.stringMatching(
      /^Invalid mock test case name 'Nope' for state machine 'Flow': .* defines only \[Submitted, Typo\]$/,
    ),
  });
  await expect(client.send(new StartExecutionCommand({ stateMachineArn: `${flowArn}#Typo` }))).rejects.toMatchObject({
    name: 'ValidationException',
    message: expect.stringContaining(
      "mocks 'Wait for reslut', which is not a Task state of the definition (Task states: [Wait for result])",
    ),
  });
  expect((await client.send(new ListExecutionsCommand({ stateMachineArn: flowArn }))).executions).toEqual([]);
});

it('says so when a test case is asked for but no mock file is loaded', async () => {
  harness = await startHarness({ dataDir: dir });
  const { stateMachineArn } = await harness.client.send(
    new CreateStateMachineCommand({ name: 'Flow', definition: passMachine, roleArn }),
  );
  await expect(
    harness.client.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Any` })),
  ).rejects.toMatchObject({
    name: 'ValidationException',
    message: `'${stateMachineArn}#Any' selects the mock test case 'Any' but no mock config file is loaded (set SFN_MOCK_CONFIG)`,
  });
});
