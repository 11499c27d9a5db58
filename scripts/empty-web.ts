/**
 * `npm run empty:web [-- --stack-name NAME] [--region REGION]`
 *
 * The step before `sam delete`: CloudFormation cannot delete a bucket that still holds objects, and the stack's
 * private WebBucket holds the pages `npm run deploy:web` uploaded. This deletes every object in it (the bucket is not
 * versioned, so nothing is left behind), so that `sam delete` can remove the bucket with the rest of the stack.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { S3Client } from '@aws-sdk/client-s3';
import { parseArgs } from 'node:util';
import { BucketObjectsError, deleteObjectKeys, listObjectKeys } from './lib/bucket-objects';
import { chosenStackName, StackError, stackOutputs } from './lib/stack';

export interface EmptyWebResult {
  bucket: string;
  deleted: number;
}

/** Empties the stack's WebBucket (read from its WebBucketName output); an empty bucket is left as it is. */
export async function emptyWebBucket(
  stackName: string,
  clients: { cloudFormation: CloudFormationClient; s3: S3Client },
): Promise<EmptyWebResult> {
  const bucket = (await stackOutputs(clients.cloudFormation, stackName)).WebBucketName;
  if (!bucket) throw new StackError(`The stack "${stackName}" has no WebBucketName output.`);
  const keys = await listObjectKeys(clients.s3, bucket);
  await deleteObjectKeys(clients.s3, bucket, keys);
  return { bucket, deleted: keys.length };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'stack-name': { type: 'string' }, region: { type: 'string' } },
    strict: true,
  });
  const stackName = await chosenStackName(values['stack-name'], 'empty:web');
  const region = values.region; // else the SDK's usual chain: AWS_REGION, the profile's region, ...
  const { bucket, deleted } = await emptyWebBucket(stackName, {
    cloudFormation: new CloudFormationClient({ region }),
    s3: new S3Client({ region }),
  });
  console.log(`Deleted ${deleted} object(s) from s3://${bucket}; sam delete can now remove the bucket.`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof StackError || error instanceof BucketObjectsError ? error.message : error);
    process.exit(1);
  });
}
