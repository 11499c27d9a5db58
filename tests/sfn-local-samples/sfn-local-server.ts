/**
 * The Step Functions API alone in Step Functions Local mode, in its own process, as the container the vendored
 * samples start (amazon/aws-stepfunctions-local): what the Python sample's `testcontainers` stand-in
 * (python/testcontainers/) runs. Reads Step Functions Local's variables: SFN_MOCK_CONFIG (a file on this machine),
 * AWS_DEFAULT_REGION (us-east-1); PORT picks the port (default 0: a free one). Prints Step Functions Local's
 * "Starting server on port N" once it listens; SIGTERM stops it and removes its temporary state.
 */
import path from 'node:path';
import { startSfnLocalApi } from './sfn-local-api';

startSfnLocalApi({
  port: Number(process.env.PORT ?? 0),
  region: process.env.AWS_DEFAULT_REGION || 'us-east-1',
  mockConfigPath: process.env.SFN_MOCK_CONFIG ? path.resolve(process.env.SFN_MOCK_CONFIG) : undefined,
  log: (line) => process.stdout.write(`${line}\n`),
}).then(
  (api) => {
    const stop = () => void api.stop().finally(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  },
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
