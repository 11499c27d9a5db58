/**
 * Durability: state machines and histories are on disk as they happen; after a crash a new server on the same
 * data directory resumes running executions, so a task token issued before the crash still completes its task.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { callbackMachine, passMachine, waitMachine } from './definitions';
import { FakeLambda } from './fake-lambda';
import {
  historyOf,
  newDataDir,
  parsed,
  roleArn,
  sfnClient,
  startHarness,
  stopHarness,
  waitForEnd,
  waitForEvent,
  type Harness,
} from './harness';

jest.setTimeout(60_000);

let dataDir: string;
const harnesses: Harness[] = [];
beforeEach(() => {
  dataDir = newDataDir();
});
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await stopHarness(harness, { keepData: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function serverOn(lambda = new FakeLambda()): Promise<Harness> {
  const harness = await startHarness({ dataDir, lambda });
  harnesses.push(harness);
  return harness;
}

/** Drops a server the way a crash would: nothing is written at close, the data stays. */
async function crash(harness: Harness): Promise<void> {
  harnesses.splice(harnesses.indexOf(harness), 1);
  await stopHarness(harness, { keepData: true });
}

function notifyRecorder(tokens: string[]): FakeLambda {
  return new FakeLambda({ Notify: (event) => void tokens.push((event as { token: string }).token) });
}

it('resumes an execution waiting for a task token after the server is dropped: the old token completes it', async () => {
  const tokens: string[] = [];
  const first = await serverOn(notifyRecorder(tokens));
  const { stateMachineArn } = await first.client.send(
    new CreateStateMachineCommand({ name: 'Exam', definition: callbackMachine(), roleArn }),
  );
  const { executionArn } = await first.client.send(
    new StartExecutionCommand({ stateMachineArn, name: 'incident-1', input: '{"IncidentId":"i-1"}' }),
  );
  await waitForEvent(first.client, executionArn!, 'TaskSubmitted');
  const before = await historyOf(first.client, executionArn!);
  await crash(first);

  const second = await serverOn();
  await expect(second.client.send(new DescribeStateMachineCommand({ stateMachineArn }))).resolves.toMatchObject({
    definition: callbackMachine(),
  });
  await expect(second.client.send(new DescribeExecutionCommand({ executionArn }))).resolves.toMatchObject({
    status: 'RUNNING',
    input: '{"IncidentId":"i-1"}',
  });

  await second.client.send(
    new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{"Result":"PASSED","Score":90}' }),
  );
  const described = await waitForEnd(second.client, executionArn!);
  expect(described.status).toBe('SUCCEEDED');
  expect(parsed(described.output)).toEqual({ Result: 'PASSED', Score: 90 });
  // The function was not called again: the task had been submitted before the crash.
  expect(second.lambda.calls).toEqual([]);

  const after = await historyOf(second.client, executionArn!);
  expect(after.slice(0, before.length)).toEqual(before);
  expect(after.map((event) => event.id)).toEqual(after.map((_, index) => index + 1));
  expect(after.map((event) => event.type).filter((type) => type === 'TaskSubmitted')).toHaveLength(1);
  expect(after.slice(before.length).map((event) => event.type)).toEqual([
    'TaskSucceeded',
    'TaskStateExited',
    'ExecutionSucceeded',
  ]);

  // And it stays ended across one more restart.
  await crash(second);
  const third = await serverOn();
  await expect(third.client.send(new DescribeExecutionCommand({ executionArn }))).resolves.toMatchObject({
    status: 'SUCCEEDED',
  });
  expect(await historyOf(third.client, executionArn!)).toEqual(after);
});

it('keeps finished executions, and continues a Wait whose timer was pending', async () => {
  const first = await serverOn();
  const greeter = await first.client.send(
    new CreateStateMachineCommand({ name: 'Greeter', definition: passMachine, roleArn }),
  );
  const waiter = await first.client.send(
    new CreateStateMachineCommand({ name: 'Waiter', definition: waitMachine(3600), roleArn }),
  );
  const done = await first.client.send(
    new StartExecutionCommand({ stateMachineArn: greeter.stateMachineArn, input: '{"name":"Ada"}' }),
  );
  await waitForEnd(first.client, done.executionArn!);
  const waiting = await first.client.send(new StartExecutionCommand({ stateMachineArn: waiter.stateMachineArn }));
  await waitForEvent(first.client, waiting.executionArn!, 'WaitStateEntered');
  await crash(first);

  const second = await serverOn();
  const finished = await second.client.send(new DescribeExecutionCommand({ executionArn: done.executionArn }));
  expect(finished.status).toBe('SUCCEEDED');
  expect(parsed(finished.output)).toEqual({ greeting: 'Hello, Ada' });
  const listed = await second.client.send(new ListExecutionsCommand({ stateMachineArn: greeter.stateMachineArn }));
  expect(listed.executions!.map((execution) => execution.executionArn)).toEqual([done.executionArn]);

  await fetch(`${second.server.url}/_local/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"advanceSeconds":3600}',
  });
  await expect(waitForEnd(second.client, waiting.executionArn!)).resolves.toMatchObject({ status: 'SUCCEEDED' });
});

it('tolerates the torn last line a crash can leave in a history file', async () => {
  const tokens: string[] = [];
  const first = await serverOn(notifyRecorder(tokens));
  const { stateMachineArn } = await first.client.send(
    new CreateStateMachineCommand({ name: 'Exam', definition: callbackMachine(), roleArn }),
  );
  const { executionArn } = await first.client.send(new StartExecutionCommand({ stateMachineArn }));
  await waitForEvent(first.client, executionArn!, 'TaskSubmitted');
  await crash(first);
  const executionsDir = path.join(dataDir, 'executions');
  const [file] = fs.readdirSync(executionsDir);
  fs.appendFileSync(
    path.join(executionsDir, file),
    '{"kind":"event","event":{"id":6,"previousEventId":5,"type":"TaskSucc',
  );
  fs.appendFileSync(path.join(dataDir, 'state-machines.jsonl'), '{"op":"put","stateMach');

  const second = await serverOn();
  expect(second.warnings).toEqual([]);
  await second.client.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{"ok":true}' }));
  await expect(waitForEnd(second.client, executionArn!)).resolves.toMatchObject({
    status: 'SUCCEEDED',
    output: '{"ok":true}',
  });
});

it('survives kill -9 of the server process', async () => {
  // node itself with tsx as a loader (not the tsx CLI, which would run the server in a grandchild that SIGKILL misses).
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'fixtures/crash-server.ts'), dataDir],
    {
      cwd: path.join(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  try {
    const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const nextLine = async () =>
      JSON.parse(((await lines.next()).value as string | undefined) ?? 'null') as { url?: string; token?: string };
    const { url } = await nextLine();
    const client = sfnClient(url!);
    const { stateMachineArn } = await client.send(
      new CreateStateMachineCommand({ name: 'Exam', definition: callbackMachine(), roleArn }),
    );
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn, input: '{"IncidentId":"i-9"}' }),
    );
    const { token } = await nextLine();
    await waitForEvent(client, executionArn!, 'TaskSubmitted');
    client.destroy();
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const restarted = await serverOn();
    await restarted.client.send(new SendTaskSuccessCommand({ taskToken: token!, output: '{"Result":"PASSED"}' }));
    await expect(waitForEnd(restarted.client, executionArn!)).resolves.toMatchObject({
      status: 'SUCCEEDED',
      output: '{"Result":"PASSED"}',
    });
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
});
