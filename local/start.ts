/**
 * `npm start [-- --fresh]`: builds the functions and the web pages, then runs the whole system offline (the
 * local cloud, docs/contract.md), prints every URL and the API key, and stops every child process on Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { buildProject } from '../scripts/lib/build-project';
import {
  LOCAL_REGION,
  staffPasswordFromEnvironment,
  mockConfigFromEnvironment,
  portsFromEnvironment,
  stateDirFromEnvironment,
  UsageError,
} from './cli-config';
import { startLocalCloud, type LocalCloud } from './cloud';
import { sfnLocalModeFromEnvironment } from './sfn-api/sfn-local-mode';

const USAGE = [
  'usage: npm start [-- --fresh] [-- --sfn-local]',
  '  --fresh       start from empty: remove .local/ (tables, executions, outbox) first',
  '  --sfn-local   Step Functions Local mode (also SFN_LOCAL_MODE=1): the Step Functions API starts with no state',
  '                machines and keeps none, and names aws-sdk tasks in histories as Step Functions Local does',
].join('\n');

function parseCommandLine(argv: string[]): { fresh: boolean; help: boolean; sfnLocal: boolean } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        fresh: { type: 'boolean' },
        'sfn-local': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    return { fresh: values.fresh === true, help: values.help === true, sfnLocal: values['sfn-local'] === true };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function banner(cloud: LocalCloud, startedAt: number): string {
  const { urls } = cloud;
  const rows: Array<[string, string, string?]> = [
    ['REST API', urls.api, 'staff routes: Authorization: Bearer <ID token>'],
    ['  Admin', `${urls.api}/admin/`],
    ['  Testing Centre', `${urls.api}/testcentre/`],
    ['  Call centre', `${urls.api}/callcenter/`],
    ['  Local dashboard', `${urls.api}/_local/`],
    ['  Health', `${urls.api}/_local/health`],
    [
      'Step Functions API',
      urls.sfn,
      'POST /_local/clock {"advanceSeconds": N} moves time; POST /_local/faults fails Lambda invocations',
    ],
    ['DynamoDB Local', urls.dynamodb],
    ['SES capture (outbox)', urls.ses, `GET ${urls.ses}/store`],
    ...(cloud.cognito
      ? ([
          ['Cognito', cloud.cognito.endpoint, `region ${cloud.cognito.region}`],
          ['  User pool', cloud.cognito.userPoolId],
          ['  App client', cloud.cognito.clientId],
          ['  Staff', 'admin@example.com (admins), agent@example.com (agents)', 'password LOCAL_STAFF_PASSWORD'],
          ['  ID token', 'npm run token -- admin|agent', `GET ${urls.api}/_local/cognito`],
        ] as Array<[string, string, string?]>)
      : []),
  ];
  const width = Math.max(...rows.map(([name]) => name.length)) + 2;
  return [
    `Local cloud ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
    ...rows.map(([name, url, note]) => `  ${name.padEnd(width)}${url}${note ? `   (${note})` : ''}`),
    'Press Ctrl-C to stop.',
  ].join('\n');
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  let args: { fresh: boolean; help: boolean; sfnLocal: boolean };
  let settings: {
    ports: ReturnType<typeof portsFromEnvironment>;
    staffPassword: string;
    mockConfigPath?: string;
    stateDir: string;
    stepFunctionsLocalMode: boolean;
  };
  try {
    args = parseCommandLine(process.argv.slice(2));
    settings = {
      ports: portsFromEnvironment(),
      staffPassword: staffPasswordFromEnvironment(),
      mockConfigPath: mockConfigFromEnvironment(),
      stateDir: stateDirFromEnvironment(),
      stepFunctionsLocalMode: args.sfnLocal || sfnLocalModeFromEnvironment(),
    };
  } catch (error) {
    console.error(`npm start: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }

  let starting: Promise<LocalCloud | undefined> | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (code: number): Promise<void> => {
    stopping ??= (async () => {
      console.log('Stopping the local cloud...');
      // Stopped half-way through starting: let the start finish (or fail and clean up after itself) first.
      const cloud = await starting;
      await cloud?.stop();
      console.log('Stopped.');
      process.exit(code);
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // Repeats are ignored: tsx relays the terminal's Ctrl-C, so one keypress arrives twice. Stopping is bounded
    // anyway (children that do not stop within seconds are killed).
    process.on(signal, () => void stop(0));
  }
  // A bug in the runtime itself: report it and stop every child rather than leave them orphaned.
  process.on('uncaughtException', (error) => {
    console.error('Local cloud internal error:', error);
    void stop(1);
  });

  console.log('Starting the local cloud...');
  starting = startLocalCloud({
    ...settings,
    region: LOCAL_REGION,
    fresh: args.fresh,
    build: async () => {
      const { functions } = await buildProject(undefined, { reuseUpToDate: true });
      console.log(`  built ${functions.length} functions and the web pages`);
    },
    progress: (message) => console.log(`  ${message}`),
    onFunctionLog: (functionName, line) => console.log(`[${functionName}] ${line}`),
    onApiLog: (line) => console.log(line),
  }).catch((error: Error) => {
    console.error(`The local cloud could not start: ${error.message}`);
    if (!stopping) process.exit(1);
    return undefined;
  });
  const cloud = await starting;
  if (cloud && !stopping) console.log(banner(cloud, startedAt));
}

void main();
