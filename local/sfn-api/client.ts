import { SFNClient } from '@aws-sdk/client-sfn';

/** An SFN client for the local Step Functions API (no `sync-` host prefix: it is one local server). */
export function sfnClient(endpoint: string, region: string): SFNClient {
  return new SFNClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    disableHostPrefix: true,
  });
}
