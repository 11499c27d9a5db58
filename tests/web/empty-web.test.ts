import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { emptyWebBucket } from '../../scripts/empty-web';
import { BucketObjectsError } from '../../scripts/lib/bucket-objects';
import { StackError } from '../../scripts/lib/stack';

const cloudFormation = mockClient(CloudFormationClient);
const s3 = mockClient(S3Client);
const clients = { cloudFormation: new CloudFormationClient({}), s3: new S3Client({}) };

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
}

beforeEach(() => {
  cloudFormation.reset();
  s3.reset();
});

describe('empty:web (before sam delete)', () => {
  it('deletes every object of the stack web bucket, over several listing pages and in batches of 1,000', async () => {
    stackWith({ WebBucketName: 'web-bucket' });
    const many = Array.from({ length: 1500 }, (_, i) => ({ Key: `page-${i}.html` }));
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: many.slice(0, 1000), IsTruncated: true, NextContinuationToken: 't' })
      .resolvesOnce({ Contents: many.slice(1000), IsTruncated: false });
    s3.on(DeleteObjectsCommand).resolves({});

    expect(await emptyWebBucket('wf', clients)).toEqual({ bucket: 'web-bucket', deleted: 1500 });

    const deletes = s3.commandCalls(DeleteObjectsCommand).map((call) => call.args[0].input);
    expect(deletes.map((input) => input.Delete?.Objects?.length)).toEqual([1000, 500]);
    expect(deletes.flatMap((input) => input.Delete?.Objects?.map((object) => object.Key))).toEqual(
      many.map((object) => object.Key),
    );
    expect(deletes.every((input) => input.Bucket === 'web-bucket')).toBe(true);
  });

  it('leaves an empty bucket as it is', async () => {
    stackWith({ WebBucketName: 'web-bucket' });
    s3.on(ListObjectsV2Command).resolves({ IsTruncated: false });
    expect(await emptyWebBucket('wf', clients)).toEqual({ bucket: 'web-bucket', deleted: 0 });
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
  });

  it('names the objects S3 could not delete instead of reporting the bucket empty', async () => {
    stackWith({ WebBucketName: 'web-bucket' });
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'admin/index.html' }], IsTruncated: false });
    s3.on(DeleteObjectsCommand).resolves({
      Errors: [{ Key: 'admin/index.html', Code: 'AccessDenied', Message: 'Access Denied' }],
    });
    await expect(emptyWebBucket('wf', clients)).rejects.toThrow(
      new BucketObjectsError(
        '1 object(s) of s3://web-bucket could not be deleted, e.g. admin/index.html: AccessDenied Access Denied',
      ),
    );
  });

  it('refuses a stack without the web bucket output, touching no bucket', async () => {
    stackWith({ ApiUrl: 'https://x' });
    await expect(emptyWebBucket('wf', clients)).rejects.toThrow(
      new StackError('The stack "wf" has no WebBucketName output.'),
    );
    expect(s3.calls()).toHaveLength(0);
  });
});
