/**
 * Step Functions Local mode (local/sfn-api/sfn-local-mode.ts) against AWS's behaviour, which stays the default: the
 * same mocked `aws-sdk:` task is recorded as AWS records it (resourceType `aws-sdk:comprehend`, resource
 * `detectSentiment`) without the mode, and as Step Functions Local does with it (`aws-sdk`,
 * `comprehend:detectSentiment`); the mode says "Starting server on port N", and a mock configuration is named at
 * start with its test cases.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateStateMachineCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { sfnLocalModeFromEnvironment, withStepFunctionsLocalNames } from '../../local/sfn-api/sfn-local-mode';
import { type Harness, historyOf, roleArn, startHarness, stopHarness, waitForEnd } from './harness';

const mockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfn-local-mode-'));
const mockConfigPath = path.join(mockDir, 'MockConfigFile.json');
fs.writeFileSync(
  mockConfigPath,
  JSON.stringify({
    StateMachines: { Sentiment: { TestCases: { Retried: { DetectSentiment: 'FailsOnceThenPositive' } } } },
    MockedResponses: {
      FailsOnceThenPositive: {
        '0': { Throw: { Error: 'InternalServerException', Cause: 'try again' } },
        '1': { Return: { Sentiment: 'POSITIVE' } },
      },
    },
  }),
);
const definition = JSON.stringify({
  StartAt: 'DetectSentiment',
  States: {
    DetectSentiment: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:comprehend:detectSentiment',
      Parameters: { LanguageCode: 'en', 'Text.$': '$.text' },
      Retry: [{ ErrorEquals: ['InternalServerException'], IntervalSeconds: 0, MaxAttempts: 1 }],
      End: true,
    },
  },
});

let aws: Harness;
let sfnLocal: Harness;
beforeAll(async () => {
  [aws, sfnLocal] = await Promise.all([
    startHarness({ mockConfigPath }),
    startHarness({ mockConfigPath, stepFunctionsLocalMode: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([stopHarness(aws), stopHarness(sfnLocal)]);
  fs.rmSync(mockDir, { recursive: true, force: true });
});

async function taskNames(harness: Harness) {
  const { stateMachineArn } = await harness.client.send(
    new CreateStateMachineCommand({ name: 'Sentiment', definition, roleArn }),
  );
  const { executionArn } = await harness.client.send(
    new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Retried`, input: '{"text":"great"}' }),
  );
  await waitForEnd(harness.client, executionArn!);
  return (await historyOf(harness.client, executionArn!))
    .filter((event) => event.type?.startsWith('Task') && !event.type.startsWith('TaskState'))
    .map((event) => {
      const details = Object.entries(event).find(([key]) => key.endsWith('EventDetails'))?.[1] as {
        resourceType: string;
        resource: string;
      };
      return `${event.type} ${details.resourceType} ${details.resource}`;
    });
}

test('without the mode an aws-sdk task is named as AWS names it', async () => {
  expect(await taskNames(aws)).toEqual([
    'TaskScheduled aws-sdk:comprehend detectSentiment',
    'TaskStarted aws-sdk:comprehend detectSentiment',
    'TaskFailed aws-sdk:comprehend detectSentiment',
    'TaskScheduled aws-sdk:comprehend detectSentiment',
    'TaskStarted aws-sdk:comprehend detectSentiment',
    'TaskSucceeded aws-sdk:comprehend detectSentiment',
  ]);
  expect(aws.warnings.some((line) => line.startsWith('Starting server on port'))).toBe(false);
});

test('in the mode it is named as Step Functions Local names it', async () => {
  expect(await taskNames(sfnLocal)).toEqual([
    'TaskScheduled aws-sdk comprehend:detectSentiment',
    'TaskStarted aws-sdk comprehend:detectSentiment',
    'TaskFailed aws-sdk comprehend:detectSentiment',
    'TaskScheduled aws-sdk comprehend:detectSentiment',
    'TaskStarted aws-sdk comprehend:detectSentiment',
    'TaskSucceeded aws-sdk comprehend:detectSentiment',
  ]);
  expect(sfnLocal.warnings).toContain(`Starting server on port ${sfnLocal.server.port}`);
});

test('the start names the mock configuration and its test cases', () => {
  expect(aws.warnings).toContain(
    `mock configuration ${mockConfigPath}: Sentiment (1 test case: Retried); start an execution of <stateMachineArn>#<TestCase> to run one`,
  );
});

test('other integrations and other events are left as they are', () => {
  const lambda = {
    id: 3,
    type: 'TaskSucceeded',
    timestamp: 0,
    taskSucceededEventDetails: { resourceType: 'lambda', resource: 'invoke', output: '{}' },
  };
  expect(withStepFunctionsLocalNames(lambda as never)).toBe(lambda);
  const callback = {
    id: 4,
    type: 'TaskScheduled',
    timestamp: 0,
    taskScheduledEventDetails: { resourceType: 'aws-sdk:sesv2', resource: 'sendEmail.waitForTaskToken', region: 'x' },
  };
  expect(withStepFunctionsLocalNames(callback as never)).toEqual({
    ...callback,
    taskScheduledEventDetails: { resourceType: 'aws-sdk', resource: 'sesv2:sendEmail.waitForTaskToken', region: 'x' },
  });
});

test('SFN_LOCAL_MODE turns the mode on with 1 or true, off when unset, 0 or false, and refuses anything else', () => {
  expect(
    ['1', 'true', 'TRUE', undefined, '', '0', 'false'].map((value) =>
      sfnLocalModeFromEnvironment({ SFN_LOCAL_MODE: value }),
    ),
  ).toEqual([true, true, true, false, false, false, false]);
  expect(() => sfnLocalModeFromEnvironment({ SFN_LOCAL_MODE: 'yes' })).toThrow(
    'SFN_LOCAL_MODE must be 1 or true (Step Functions Local mode), or 0, false or unset',
  );
});
