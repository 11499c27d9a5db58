/**
 * `npm run deploy:web [-- --stack-name NAME] [--region REGION] [--out DIR] [--no-build]`
 *
 * The companion step after `sam deploy`: builds the pages, uploads them to the stack's private WebBucket
 * (without the local-only dashboard), writes `config.js` with the stack's API URL and staff user pool (where the
 * admin and call-centre pages sign in), removes files that are
 * no longer built, and invalidates the CloudFront cache so the new pages are served at once.
 * Everything the stack must provide is checked before the bucket is touched.
 */
import { CloudFormationClient, DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readFile, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { buildWeb, LOCAL_ONLY_PAGES } from '../web/build';
import { configScript } from '../web/shared/app-config';
import { BucketObjectsError, deleteObjectKeys, listObjectKeys } from './lib/bucket-objects';
import { chosenStackName, StackError, stackOutputs } from './lib/stack';

export class DeployWebError extends Error {
  override name = 'DeployWebError';
}

export interface DeployWebClients {
  cloudFormation: CloudFormationClient;
  s3: S3Client;
  cloudFront: CloudFrontClient;
}

export interface DeployWebOptions {
  stackName: string;
  clients: DeployWebClients;
  /** Where the pages are built (and read from). */
  outDir?: string;
  /** false: upload what is already in outDir. */
  build?: boolean;
  log?: (line: string) => void;
  /** Makes the invalidation's CallerReference unique. */
  now?: () => number;
}

export interface DeployWebResult {
  bucket: string;
  distributionId: string;
  uploaded: string[];
  deleted: string[];
  invalidationId?: string;
  webUrl?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Pages and config must be fetched fresh; bundles are not content-hashed, so they are cached briefly. */
function cacheControl(key: string): string {
  return key.endsWith('.html') || key === 'config.js' ? 'no-cache' : 'public, max-age=300';
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** The stack's outputs and web distribution, or a DeployWebError naming what is missing. */
async function readStack(cloudFormation: CloudFormationClient, stackName: string) {
  const outputs = await stackOutputs(cloudFormation, stackName);
  const apiUrl = outputs.ApiUrl;
  const bucket = outputs.WebBucketName;
  if (!apiUrl || !/^https:\/\//.test(apiUrl))
    throw new DeployWebError(`The stack "${stackName}" has no https ApiUrl output.`);
  if (!bucket) throw new DeployWebError(`The stack "${stackName}" has no WebBucketName output.`);
  // Where the staff pages sign in: the stack's user pool and its app client, in the stack's region (the pool id's
  // prefix, "eu-west-1_AbC123": Cognito names pools after their region).
  const userPoolId = outputs.StaffUserPoolId;
  const clientId = outputs.StaffUserPoolClientId;
  if (!userPoolId || !clientId || !/^[\w-]+_\w+$/.test(userPoolId))
    throw new DeployWebError(`The stack "${stackName}" has no StaffUserPoolId and StaffUserPoolClientId outputs.`);
  const cognito = { region: userPoolId.slice(0, userPoolId.indexOf('_')), userPoolId, clientId };
  let distributionId: string | undefined;
  try {
    const { StackResourceDetail } = await cloudFormation.send(
      new DescribeStackResourceCommand({ StackName: stackName, LogicalResourceId: 'WebDistribution' }),
    );
    distributionId = StackResourceDetail?.PhysicalResourceId;
  } catch (error) {
    throw new DeployWebError(`The stack "${stackName}" has no WebDistribution resource: ${(error as Error).message}`);
  }
  if (!distributionId) throw new DeployWebError(`The stack "${stackName}"'s WebDistribution has no id yet.`);
  return { apiUrl, bucket, distributionId, webUrl: outputs.WebUrl, cognito };
}

export async function deployWeb(options: DeployWebOptions): Promise<DeployWebResult> {
  const { clients, stackName } = options;
  const log = options.log ?? (() => undefined);
  const outDir = path.resolve(options.outDir ?? 'dist/web');
  const stack = await readStack(clients.cloudFormation, stackName);
  if (options.build !== false) {
    log(`Building the pages into ${outDir}`);
    await buildWeb(outDir);
  }
  const localOnly = LOCAL_ONLY_PAGES.map((page) => `${page}/`);
  const files = (await filesUnder(outDir)).filter(
    (key) => key !== 'config.js' && !localOnly.some((prefix) => key.startsWith(prefix)),
  );
  if (!files.includes('admin/index.html'))
    throw new DeployWebError(`${outDir} holds no built pages (admin/index.html is missing).`);

  const uploads: { key: string; body: string | Buffer }[] = await Promise.all(
    files.map(async (key) => ({ key, body: await readFile(path.join(outDir, key)) })),
  );
  uploads.push({ key: 'config.js', body: configScript({ apiBaseUrl: stack.apiUrl, cognito: stack.cognito }) });
  for (const { key, body } of uploads) {
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: stack.bucket,
        Key: key,
        Body: body,
        ContentType: CONTENT_TYPES[path.extname(key)] ?? 'application/octet-stream',
        CacheControl: cacheControl(key),
      }),
    );
    log(`uploaded s3://${stack.bucket}/${key}`);
  }

  const uploaded = new Set(uploads.map((u) => u.key));
  const stale = (await listObjectKeys(clients.s3, stack.bucket)).filter((key) => !uploaded.has(key));
  await deleteObjectKeys(clients.s3, stack.bucket, stale);
  if (stale.length > 0) log(`deleted ${stale.length} file(s) no longer built: ${stale.join(', ')}`);

  const invalidation = await clients.cloudFront.send(
    new CreateInvalidationCommand({
      DistributionId: stack.distributionId,
      InvalidationBatch: {
        CallerReference: `deploy-web-${(options.now ?? Date.now)()}`,
        Paths: { Quantity: 1, Items: ['/*'] },
      },
    }),
  );
  log(`CloudFront invalidation ${invalidation.Invalidation?.Id ?? '(no id)'} started for ${stack.distributionId}`);
  return {
    bucket: stack.bucket,
    distributionId: stack.distributionId,
    uploaded: [...uploaded],
    deleted: stale,
    invalidationId: invalidation.Invalidation?.Id,
    webUrl: stack.webUrl,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'stack-name': { type: 'string' },
      region: { type: 'string' },
      out: { type: 'string', default: 'dist/web' },
      'no-build': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const stackName = await chosenStackName(values['stack-name'], 'deploy:web');
  const region = values.region; // else the SDK's usual chain: AWS_REGION, the profile's region, ...
  const result = await deployWeb({
    stackName,
    outDir: values.out,
    build: !values['no-build'],
    clients: {
      cloudFormation: new CloudFormationClient({ region }),
      s3: new S3Client({ region }),
      cloudFront: new CloudFrontClient({ region }),
    },
    log: (line) => console.log(line),
  });
  console.log(
    `Deployed ${result.uploaded.length} files to s3://${result.bucket}.${result.webUrl ? ` The pages: ${result.webUrl}` : ''}`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(
      error instanceof DeployWebError || error instanceof StackError || error instanceof BucketObjectsError
        ? error.message
        : error,
    );
    process.exit(1);
  });
}
