/**
 * `npm start` in Step Functions Local mode (SFN_LOCAL_MODE=1, `--sfn-local`): the local cloud starts with its
 * Step Functions API as Step Functions Local does, with no state machine, says "Starting server on port N", is
 * healthy without the template's machines, and keeps no state machine across a restart on kept state (Step
 * Functions Local keeps nothing), while the rest of the local cloud keeps its state.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateStateMachineCommand, ListStateMachinesCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { startLocalCloud, type LocalCloud, type LocalCloudPorts } from '../../local/cloud';
import { sfnClient } from '../../local/sfn-api/client';
import { functionBundles } from '../support/function-bundles';
import { freeCloudPorts } from './support/ports';

jest.setTimeout(240_000);

let dir: string;
let ports: LocalCloudPorts;
let cloud: LocalCloud | undefined;
let sfn: SFNClient | undefined;
const progress: string[] = [];

async function start(): Promise<SFNClient> {
  progress.length = 0;
  cloud = await startLocalCloud({
    ports,
    apiKey: 'sfn-local-mode-key',
    persist: true,
    stateDir: path.join(dir, 'state'),
    ...functionBundles(),
    webRoot: path.join(dir, 'web'),
    stepFunctionsLocalMode: true,
    progress: (line) => progress.push(line),
  });
  sfn = sfnClient(cloud.urls.sfn, cloud.region);
  return sfn;
}

async function stop(): Promise<void> {
  sfn?.destroy();
  await cloud?.stop();
  cloud = undefined;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sfn-local-mode-'));
  ports = await freeCloudPorts();
});

afterAll(async () => {
  await stop();
  await rm(dir, { recursive: true, force: true });
});

test('starts with no state machine, says so as Step Functions Local does, and keeps none across a restart', async () => {
  let client = await start();
  expect(progress).toContain(`Step Functions API: Starting server on port ${ports.sfn}`);
  expect((await client.send(new ListStateMachinesCommand({}))).stateMachines).toEqual([]);
  expect(cloud!.stateMachines).toEqual({});
  expect(await cloud!.health()).toEqual({ ok: true });

  await client.send(
    new CreateStateMachineCommand({
      name: 'LocalTesting',
      definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
      roleArn: 'arn:aws:iam::123456789012:role/DummyRole',
    }),
  );
  expect((await client.send(new ListStateMachinesCommand({}))).stateMachines).toHaveLength(1);
  await stop();

  client = await start();
  expect((await client.send(new ListStateMachinesCommand({}))).stateMachines).toEqual([]);
});
