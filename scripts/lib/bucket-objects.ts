/**
 * Listing and deleting a bucket's objects, for the companion steps around the stack's private web bucket
 * (`npm run deploy:web` removes files no longer built, `npm run empty:web` empties it before `sam delete`).
 * The web bucket is not versioned, so deleting an object's key removes it for good.
 */
import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

/** DeleteObjects takes at most 1,000 keys per request. */
const DELETE_BATCH = 1000;

export class BucketObjectsError extends Error {
  override name = 'BucketObjectsError';
}

/** Every key in the bucket, page by page. */
export async function listObjectKeys(s3: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/**
 * Deletes the keys in batches. DeleteObjects answers 200 even when some keys could not be deleted (it lists them in
 * Errors), so those are raised here instead of passing for done.
 */
export async function deleteObjectKeys(s3: S3Client, bucket: string, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += DELETE_BATCH) {
    const batch = keys.slice(i, i + DELETE_BATCH);
    const { Errors } = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
    );
    if (Errors?.length) {
      const first = Errors[0];
      throw new BucketObjectsError(
        `${Errors.length} object(s) of s3://${bucket} could not be deleted, e.g. ${first.Key}: ${first.Code} ${first.Message ?? ''}`.trim(),
      );
    }
  }
}
