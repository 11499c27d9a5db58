/**
 * Tags (TagResource, UntagResource, ListTagsForResource, tags at creation) and the answers the AWS CLI found to
 * differ from AWS's (issue 14): DescribeStateMachine with METADATA_ONLY, logging levels without a destination, and
 * the logging configuration the template gives CallCentreStateMachine. AWS's answers as LocalStack's AWS-validated
 * snapshots record them (test_sfn_api_tagging, test_sfn_api_logs) and as the API reference words them.
 */
import path from 'node:path';
import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  ListTagsForResourceCommand,
  PublishStateMachineVersionCommand,
  StartExecutionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { deployStateMachines, stateMachineDefinitions } from '../../local/provisioning/state-machines';
import { IntrinsicResolver } from '../../local/template/intrinsics';
import { loadTemplate } from '../../local/template/load';
import { passMachine } from './definitions';
import { errorOf, roleArn, startHarness, stopHarness, type Harness } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => stopHarness(harness));

let counter = 0;
const create = (extra: object = {}) =>
  harness.client.send(
    new CreateStateMachineCommand({ name: `Tagged${++counter}`, definition: passMachine, roleArn, ...extra }),
  );
const tagsOf = async (resourceArn: string) =>
  (await harness.client.send(new ListTagsForResourceCommand({ resourceArn }))).tags;

describe('tags', () => {
  it('keeps tags given at creation, adds, replaces and removes them', async () => {
    const { stateMachineArn } = await create({
      tags: [
        { key: 'team', value: 'exams' },
        { key: 'tier', value: '' },
      ],
    });
    expect(await tagsOf(stateMachineArn!)).toEqual([
      { key: 'team', value: 'exams' },
      { key: 'tier', value: '' },
    ]);
    await harness.client.send(
      new TagResourceCommand({
        resourceArn: stateMachineArn,
        tags: [
          { key: 'team', value: 'hotel' },
          { key: 'env', value: 'dev' },
        ],
      }),
    );
    await harness.client.send(new UntagResourceCommand({ resourceArn: stateMachineArn, tagKeys: ['tier', 'unknown'] }));
    expect(await tagsOf(stateMachineArn!)).toEqual([
      { key: 'team', value: 'hotel' },
      { key: 'env', value: 'dev' },
    ]);

    const { activityArn } = await harness.client.send(
      new CreateActivityCommand({ name: 'TaggedActivity', tags: [{ key: 'owner', value: 'admin' }] }),
    );
    expect(await tagsOf(activityArn!)).toEqual([{ key: 'owner', value: 'admin' }]);
  });

  it('refuses what AWS refuses: unknown resources, versions, 51 tags, the aws: prefix', async () => {
    const { stateMachineArn } = await create({ publish: true });
    const version = `${stateMachineArn}:1`;
    expect(
      await errorOf(
        harness.client.send(new TagResourceCommand({ resourceArn: version, tags: [{ key: 'a', value: 'b' }] })),
      ),
    ).toMatchObject({ name: 'ResourceNotFound', message: `Resource not found: '${version}'` });
    expect(await errorOf(harness.client.send(new ListTagsForResourceCommand({ resourceArn: 'nope' })))).toMatchObject({
      name: 'InvalidArn',
    });
    const many = Array.from({ length: 51 }, (_, index) => ({ key: `k${index}`, value: 'v' }));
    const tooMany = await errorOf(
      harness.client.send(new TagResourceCommand({ resourceArn: stateMachineArn, tags: many })),
    );
    expect(tooMany).toMatchObject({ name: 'TooManyTags', resourceName: stateMachineArn });
    expect(await errorOf(create({ tags: [{ key: 'aws:cloudformation:stack-name', value: 'x' }] }))).toMatchObject({
      name: 'ValidationException',
    });
    expect(await errorOf(create({ tags: [{ key: 'bad<key', value: 'x' }] }))).toMatchObject({
      name: 'ValidationException',
    });
    expect(await tagsOf(stateMachineArn!)).toEqual([]);
  });
});

describe('what the AWS CLI found to differ', () => {
  it('DescribeStateMachine with includedData METADATA_ONLY answers no definition', async () => {
    const { stateMachineArn } = await create({ publish: true });
    const metadata = await harness.client.send(
      new DescribeStateMachineCommand({ stateMachineArn, includedData: 'METADATA_ONLY' }),
    );
    expect(metadata.definition).toBeUndefined();
    expect(metadata).toMatchObject({ stateMachineArn, status: 'ACTIVE', roleArn });
    const version = await harness.client.send(
      new DescribeStateMachineCommand({ stateMachineArn: `${stateMachineArn}:1`, includedData: 'METADATA_ONLY' }),
    );
    expect(version.definition).toBeUndefined();
    expect((await harness.client.send(new DescribeStateMachineCommand({ stateMachineArn }))).definition).toBe(
      passMachine,
    );
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn, input: '{"name":"cli"}' }),
    );
    const forExecution = await harness.client.send(
      new DescribeStateMachineForExecutionCommand({ executionArn, includedData: 'METADATA_ONLY' }),
    );
    expect(forExecution.definition).toBeUndefined();
    expect(forExecution).toMatchObject({ stateMachineArn, roleArn });
  });

  it.each(['ALL', 'ERROR', 'FATAL'] as const)(
    'refuses logging level %s without a destination, on create and on update, and keeps nothing',
    async (level) => {
      const message = 'Invalid Logging Configuration: Must specify exactly one Log Destination.';
      expect(await errorOf(create({ loggingConfiguration: { level } }))).toMatchObject({
        name: 'InvalidLoggingConfiguration',
        message,
      });
      const { stateMachineArn } = await create();
      expect(
        await errorOf(
          harness.client.send(new UpdateStateMachineCommand({ stateMachineArn, loggingConfiguration: { level } })),
        ),
      ).toMatchObject({ name: 'InvalidLoggingConfiguration', message });
      const described = await harness.client.send(new DescribeStateMachineCommand({ stateMachineArn }));
      expect(described.loggingConfiguration).toEqual({ level: 'OFF', includeExecutionData: false });
    },
  );

  it('keeps a logging configuration with its one destination, and fills in what is left out', async () => {
    const logGroupArn = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/x:*';
    const loggingConfiguration = {
      level: 'ERROR' as const,
      destinations: [{ cloudWatchLogsLogGroup: { logGroupArn } }],
    };
    const { stateMachineArn } = await create({ loggingConfiguration });
    expect(
      (await harness.client.send(new DescribeStateMachineCommand({ stateMachineArn }))).loggingConfiguration,
    ).toEqual({ ...loggingConfiguration, includeExecutionData: false });
    expect(
      await errorOf(
        create({
          loggingConfiguration: {
            ...loggingConfiguration,
            destinations: [...loggingConfiguration.destinations, ...loggingConfiguration.destinations],
          },
        }),
      ),
    ).toMatchObject({ name: 'InvalidLoggingConfiguration' });
    expect(
      await errorOf(
        harness.client.send(new PublishStateMachineVersionCommand({ stateMachineArn: `${stateMachineArn}x` })),
      ),
    ).toMatchObject({ name: 'StateMachineDoesNotExist' });
  });

  it("deploys CallCentreStateMachine with template.yaml's logging (level ALL, its log group)", async () => {
    const templateFile = path.join(__dirname, '../../template.yaml');
    const template = loadTemplate(templateFile);
    const resolver = new IntrinsicResolver(template, { region: 'us-east-1' });
    const definitions = stateMachineDefinitions(template, resolver, path.dirname(templateFile)).filter(
      (machine) => machine.name === 'CallCentreStateMachine',
    );
    const arns = await deployStateMachines(harness.client, definitions);
    const described = await harness.client.send(
      new DescribeStateMachineCommand({ stateMachineArn: arns.CallCentreStateMachine }),
    );
    expect(described.loggingConfiguration).toEqual({
      level: 'ALL',
      includeExecutionData: false,
      destinations: [
        {
          cloudWatchLogsLogGroup: {
            logGroupArn: expect.stringMatching(
              /^arn:aws:logs:us-east-1:123456789012:log-group:\/aws\/vendedlogs\/states\/.+-CallCentre:\*$/,
            ),
          },
        },
      ],
    });
  });
});
