/**
 * AWS's SAM Step Functions Local sample (aws-stepfunctions-examples sam/app-local-testing-mock-config, vendored
 * unchanged in tests/fixtures/sfn-local-samples): its README's AWS CLI commands, run as a user runs them from the
 * sample's folder, against our Step Functions API in Step Functions Local mode. The README's `docker run` (its mock
 * file mounted, SFN_MOCK_CONFIG naming it) is the testcontainers stand-in doing the same; in each command the only
 * text changed is the endpoint, `http://localhost:8083`, which becomes the API's free port.
 *
 * The README checks its results by reading them; here the same reading is asserted: every test case's execution
 * succeeds, the happy path exits CustomerAddedToFollowup, the exception path enters ValidationException, and the
 * retry query finds 3 InternalServerException failures and 1 TaskSucceeded of `comprehend:detectSentiment`
 * (Step Functions Local's naming: AWS itself records resourceType `aws-sdk:comprehend`, resource `detectSentiment`).
 *
 * Needs the AWS CLI (`aws`, v1 or v2); without it the test says so and is skipped.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GenericContainer, type StartedTestContainer } from './testcontainers';

const sample = path.join(
  __dirname,
  '../fixtures/sfn-local-samples/aws-stepfunctions-examples/sam/app-local-testing-mock-config',
);
const cliVersion = spawnSync('aws', ['--version'], { encoding: 'utf8' });
const runnable = cliVersion.status === 0;
if (!runnable) console.warn(`skipped: the SAM sample's README commands need the AWS CLI (aws): ${cliVersion.error}`);

/** The README's ```bash blocks that call the API on http://localhost:8083, in order. */
function readmeCommands(): string[] {
  const readme = readFileSync(path.join(sample, 'README.md'), 'utf8');
  return [...readme.matchAll(/```bash\n([\s\S]*?)```/g)]
    .map((block) => block[1].trim())
    .filter((command) => command.startsWith('aws stepfunctions') && command.includes('http://localhost:8083'));
}

let container: StartedTestContainer;
let endpoint: string;
const run = promisify(execFile);

async function aws(command: string): Promise<unknown> {
  const { stdout } = await run('sh', ['-c', command.replaceAll('http://localhost:8083', endpoint)], {
    cwd: sample,
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
    },
  });
  return JSON.parse(stdout);
}

beforeAll(async () => {
  if (!runnable) return;
  container = await new GenericContainer('amazon/aws-stepfunctions-local')
    .withExposedPorts(8083)
    .withCopyFilesToContainer([
      {
        source: path.join(sample, 'statemachine/test/MockConfigFile.json'),
        target: '/home/StepFunctionsLocal/MockConfigFile.json',
      },
    ])
    .withEnvironment({ SFN_MOCK_CONFIG: '/home/StepFunctionsLocal/MockConfigFile.json' })
    .start();
  endpoint = `http://localhost:${container.getMappedPort(8083)}`;
});

afterAll(async () => {
  await container?.stop();
});

(runnable ? test : test.skip)(
  "the README's five test cases, as the README runs them",
  async () => {
    const commands = readmeCommands();
    const [create, ...rest] = commands;
    const starts = rest.filter((command) => command.startsWith('aws stepfunctions start-execution'));
    const histories = rest.filter((command) => command.startsWith('aws stepfunctions get-execution-history'));
    expect({ commands: commands.length, starts: starts.length, histories: histories.length }).toEqual({
      commands: 9,
      starts: 5,
      histories: 3,
    });

    await aws(create);
    const started = (await Promise.all(starts.map(aws))) as Array<{ executionArn: string }>;
    // A user reads the histories once the executions have ended (the retry path waits 3 × 1 s).
    const sfn = new SFNClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    });
    const statuses = await Promise.all(
      started.map(async ({ executionArn }) => {
        for (;;) {
          const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
          if (status !== 'RUNNING') return [executionArn.split(':').at(-1), status];
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }),
    );
    sfn.destroy();
    expect(Object.fromEntries(statuses)).toEqual({
      executionWithHappyPathMockedServices: 'SUCCEEDED',
      executionWithNegativeSentimentMockedServices: 'SUCCEEDED',
      executionWithCatchCustomErrorPathMockedServices: 'SUCCEEDED',
      executionWithCatchRuntimeExceptionPathMockedServices: 'SUCCEEDED',
      retryTestExecution: 'SUCCEEDED',
    });

    const [happy, exception, retry] = (await Promise.all(histories.map(aws))) as [
      Array<{ type: string; stateExitedEventDetails?: { name: string } }>,
      { events: Array<{ type: string; stateEnteredEventDetails?: { name: string } }> },
      Array<{ type: string; taskFailedEventDetails?: { error: string }; taskSucceededEventDetails?: object }>,
    ];
    expect(happy).toEqual([
      expect.objectContaining({
        type: 'TaskStateExited',
        stateExitedEventDetails: expect.objectContaining({ name: 'CustomerAddedToFollowup' }),
      }),
    ]);
    expect(
      exception.events
        .filter((event) => event.type === 'TaskStateEntered')
        .map((event) => event.stateEnteredEventDetails?.name),
    ).toContain('ValidationException');
    expect(exception.events.at(-1)?.type).toBe('ExecutionSucceeded');
    expect(
      retry.map((event) => [event.type, event.taskFailedEventDetails?.error ?? event.taskSucceededEventDetails]),
    ).toEqual([
      ['TaskFailed', 'InternalServerException'],
      ['TaskFailed', 'InternalServerException'],
      ['TaskFailed', 'InternalServerException'],
      ['TaskSucceeded', expect.objectContaining({ resourceType: 'aws-sdk', resource: 'comprehend:detectSentiment' })],
    ]);
  },
  60_000,
);
