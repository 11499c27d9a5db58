/**
 * `npm start` in Step Functions Local mode (SFN_LOCAL_MODE=1, `--sfn-local`): the local cloud starts with its
 * Step Functions API as Step Functions Local does, with no state machine, says "Starting server on port N", is
 * healthy without the template's machines, and keeps what its API is given outside the state folder (Step Functions
 * Local keeps nothing), while the rest of the local cloud keeps its state there.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateStateMachineCommand, ListStateMachinesCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { startLocalCloud, type LocalCloud } from '../../local/cloud';
import { sfnClient } from '../../local/sfn-api/client';
import { functionBundles } from '../support/function-bundles';
import { freeCloudPorts } from './support/ports';

jest.setTimeout(240_000);

let dir: string;
let cloud: LocalCloud | undefined;
let sfn: SFNClient | undefined;
const progress: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sfn-local-mode-'));
  cloud = await startLocalCloud({
    ports: await freeCloudPorts(),
    persist: true,
    stateDir: path.join(dir, 'state'),
    ...functionBundles(),
    webRoot: path.join(dir, 'web'),
    stepFunctionsLocalMode: true,
    progress: (line) => progress.push(line),
  });
  sfn = sfnClient(cloud.urls.sfn, cloud.region);
});

afterAll(async () => {
  sfn?.destroy();
  await cloud?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('starts with no state machine, says so as Step Functions Local does, and is healthy', async () => {
  expect(progress).toContain(`Step Functions API: Starting server on port ${new URL(cloud!.urls.sfn).port}`);
  expect((await sfn!.send(new ListStateMachinesCommand({}))).stateMachines).toEqual([]);
  expect(cloud!.stateMachines).toEqual({});
  expect(await cloud!.health()).toEqual({ ok: true });
});

test('keeps its state machines and executions out of the state folder, which keeps the rest', async () => {
  await sfn!.send(
    new CreateStateMachineCommand({
      name: 'LocalTesting',
      definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
      roleArn: 'arn:aws:iam::123456789012:role/DummyRole',
    }),
  );
  expect((await sfn!.send(new ListStateMachinesCommand({}))).stateMachines).toHaveLength(1);
  // Without the mode they are kept in <state>/sfn and read back at the next start.
  expect(existsSync(path.join(dir, 'state', 'sfn'))).toBe(false);
  expect(existsSync(path.join(dir, 'state', 'dynamodb'))).toBe(true);
});
