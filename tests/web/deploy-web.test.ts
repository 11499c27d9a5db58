import {
  CloudFormationClient,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DeployWebError, deployWeb } from '../../scripts/deploy-web';
import { samconfigStackName } from '../../scripts/lib/stack';

const cloudFormation = mockClient(CloudFormationClient);
const s3 = mockClient(S3Client);
const cloudFront = mockClient(CloudFrontClient);
const clients = {
  cloudFormation: new CloudFormationClient({}),
  s3: new S3Client({}),
  cloudFront: new CloudFrontClient({}),
};
const API_URL = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod';
let dir: string;

async function builtPages(): Promise<string> {
  const out = await mkdtemp(path.join(tmpdir(), 'deploy-web-'));
  for (const file of [
    'index.html',
    'styles.css',
    'config.js',
    'admin/index.html',
    'admin/main.js',
    'admin/main.js.map',
    '_local/index.html',
    '_local/main.js',
  ]) {
    await mkdir(path.dirname(path.join(out, file)), { recursive: true });
    await writeFile(path.join(out, file), `contents of ${file}`);
  }
  return out;
}

/** The staff pool's outputs (template.yaml), which config.js names for the pages' sign-in. */
const STAFF_POOL = { StaffUserPoolId: 'eu-west-1_AbC123', StaffUserPoolClientId: 'client-1' };

function stackWith(outputs: Record<string, string>): void {
  cloudFormation.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'wf',
        CreationTime: new Date(),
        StackStatus: 'CREATE_COMPLETE',
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  });
  cloudFormation.on(DescribeStackResourceCommand).resolves({
    StackResourceDetail: {
      LogicalResourceId: 'WebDistribution',
      PhysicalResourceId: 'E2DIST',
      ResourceType: 'AWS::CloudFront::Distribution',
      LastUpdatedTimestamp: new Date(),
      ResourceStatus: 'CREATE_COMPLETE',
    },
  });
}

beforeEach(async () => {
  cloudFormation.reset();
  s3.reset();
  cloudFront.reset();
  dir = await builtPages();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('deploy:web', () => {
  it('uploads the built pages without the local dashboard, writes config.js with the API URL, removes stale files and invalidates', async () => {
    stackWith({ ApiUrl: API_URL, WebBucketName: 'web-bucket', WebUrl: 'https://d1.cloudfront.net/', ...STAFF_POOL });
    s3.on(PutObjectCommand).resolves({});
    s3.on(ListObjectsV2Command)
      .resolvesOnce({
        Contents: [{ Key: 'admin/index.html' }, { Key: 'old/page.html' }],
        IsTruncated: true,
        NextContinuationToken: 't',
      })
      .resolvesOnce({ Contents: [{ Key: 'config.js' }, { Key: '_local/index.html' }], IsTruncated: false });
    s3.on(DeleteObjectsCommand).resolves({});
    cloudFront.on(CreateInvalidationCommand).resolves({
      Invalidation: {
        Id: 'I1',
        Status: 'InProgress',
        CreateTime: new Date(),
        InvalidationBatch: { CallerReference: 'x', Paths: { Quantity: 1 } },
      },
    });

    const result = await deployWeb({ stackName: 'wf', clients, outDir: dir, build: false, now: () => 42 });

    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => p.Key).sort()).toEqual([
      'admin/index.html',
      'admin/main.js',
      'admin/main.js.map',
      'config.js',
      'index.html',
      'styles.css',
    ]);
    const config = puts.find((p) => p.Key === 'config.js')!;
    const window: { APP_CONFIG?: unknown } = {};
    new Function('window', String(config.Body))(window);
    expect(window.APP_CONFIG).toEqual({
      apiBaseUrl: API_URL,
      local: false,
      cognito: { region: 'eu-west-1', userPoolId: 'eu-west-1_AbC123', clientId: 'client-1' },
    });
    expect(config).toMatchObject({
      Bucket: 'web-bucket',
      ContentType: 'text/javascript; charset=utf-8',
      CacheControl: 'no-cache',
    });
    expect(puts.find((p) => p.Key === 'admin/index.html')).toMatchObject({
      ContentType: 'text/html; charset=utf-8',
      CacheControl: 'no-cache',
    });
    expect(puts.find((p) => p.Key === 'admin/main.js')).toMatchObject({ CacheControl: 'public, max-age=300' });
    expect(s3.commandCalls(DeleteObjectsCommand)[0]!.args[0].input.Delete!.Objects).toEqual([
      { Key: 'old/page.html' },
      { Key: '_local/index.html' },
    ]);
    expect(cloudFront.commandCalls(CreateInvalidationCommand)[0]!.args[0].input).toEqual({
      DistributionId: 'E2DIST',
      InvalidationBatch: { CallerReference: 'deploy-web-42', Paths: { Quantity: 1, Items: ['/*'] } },
    });
    expect(result).toMatchObject({
      bucket: 'web-bucket',
      distributionId: 'E2DIST',
      invalidationId: 'I1',
      deleted: ['old/page.html', '_local/index.html'],
    });
  });

  it('changes nothing when the stack lacks what the pages need', async () => {
    stackWith({ WebBucketName: 'web-bucket' });
    await expect(deployWeb({ stackName: 'wf', clients, outDir: dir, build: false })).rejects.toThrow(
      new DeployWebError('The stack "wf" has no https ApiUrl output.'),
    );
    stackWith({ ApiUrl: API_URL });
    await expect(deployWeb({ stackName: 'wf', clients, outDir: dir, build: false })).rejects.toThrow(
      'has no WebBucketName output',
    );
    stackWith({ ApiUrl: API_URL, WebBucketName: 'web-bucket' });
    await expect(deployWeb({ stackName: 'wf', clients, outDir: dir, build: false })).rejects.toThrow(
      'has no StaffUserPoolId and StaffUserPoolClientId outputs',
    );
    cloudFormation.on(DescribeStacksCommand).rejects(new Error('Stack with id nope does not exist'));
    await expect(deployWeb({ stackName: 'nope', clients, outDir: dir, build: false })).rejects.toThrow(
      'Cannot read the stack "nope": Stack with id nope does not exist',
    );
    expect(s3.calls()).toHaveLength(0);
    expect(cloudFront.calls()).toHaveLength(0);
  });

  it('refuses a folder without built pages', async () => {
    stackWith({ ApiUrl: API_URL, WebBucketName: 'web-bucket', ...STAFF_POOL });
    await rm(path.join(dir, 'admin'), { recursive: true });
    await expect(deployWeb({ stackName: 'wf', clients, outDir: dir, build: false })).rejects.toThrow(
      'holds no built pages',
    );
    expect(s3.calls()).toHaveLength(0);
  });

  it('reads the stack name sam deploy saved', () => {
    expect(
      samconfigStackName('version = 0.1\n[default.global.parameters]\nstack_name = "serverless-workflows"\n'),
    ).toBe('serverless-workflows');
    expect(samconfigStackName('version = 0.1\n')).toBeUndefined();
  });
});
