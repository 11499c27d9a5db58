/**
 * Issue 13: a history file that is damaged or too big must never stop the Step Functions API from starting. A 2.2 GB
 * history (a looping execution before the 25,000-event quota) made every later start fail ("Cannot create a string
 * longer than ..."), and only `--fresh` helped, which wipes every booking and incident. Now that one execution is
 * listed as FAILED with a one-line report naming it and its file, and every other execution comes up.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { ExecutionStore } from '../../local/sfn-api/store/execution-store';
import { passMachine, waitMachine } from './definitions';
import { newDataDir, roleArn, startHarness, stopHarness, waitForEnd, waitForEvent, type Harness } from './harness';

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

async function serverOn(): Promise<Harness> {
  const harness = await startHarness({ dataDir });
  harnesses.push(harness);
  return harness;
}

/** Drops a server the way a crash would: nothing is written at close, the data stays. */
async function crash(harness: Harness): Promise<void> {
  harnesses.splice(harnesses.indexOf(harness), 1);
  await stopHarness(harness, { keepData: true });
}

const fileOf = (executionArn: string) => new ExecutionStore(dataDir).fileOf(executionArn);

/** Rewrites line `number` (1-based) of a history file; the lines after it stay. */
function replaceLine(file: string, number: number, text: string): void {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines[number - 1] = text;
  fs.writeFileSync(file, lines.join('\n'));
}

it('starts with a damaged and an oversized history file in the state folder: those executions are FAILED, reported in one line each, and the others load', async () => {
  const first = await serverOn();
  const send = first.client.send.bind(first.client);
  const greeter = await send(new CreateStateMachineCommand({ name: 'Greeter', definition: passMachine, roleArn }));
  const waiter = await send(new CreateStateMachineCommand({ name: 'Waiter', definition: waitMachine(3600), roleArn }));
  const finished = (
    await send(new StartExecutionCommand({ stateMachineArn: greeter.stateMachineArn, input: '{"name":"Ada"}' }))
  ).executionArn!;
  await waitForEnd(first.client, finished);
  const started: Record<string, string> = {};
  for (const name of ['waiting', 'garbled', 'not-an-event', 'oversized']) {
    started[name] = (await send(new StartExecutionCommand({ stateMachineArn: waiter.stateMachineArn, name })))
      .executionArn!;
    await waitForEvent(first.client, started[name], 'WaitStateEntered');
  }
  await crash(first);

  // Each file: metadata, ExecutionStarted, WaitStateEntered. Damage them as a disk or a bug could.
  const files = Object.fromEntries(Object.entries(started).map(([name, arn]) => [name, fileOf(arn)]));
  const lastEvent = fs.readFileSync(files.garbled, 'utf8').split('\n')[2];
  // Zeros where an event was (what a power cut can leave), then the rest of the history.
  replaceLine(files.garbled, 3, `\u0000\u0000\u0000\u0000\n${lastEvent}`);
  // JSON, but not an event: this one made the start throw a TypeError.
  replaceLine(files['not-an-event'], 3, `{"kind":"event","event":null}\n${lastEvent}`);
  // 600 MiB (sparse: no disk used), more than V8's longest string: the report's "Cannot create a string longer than".
  fs.truncateSync(files.oversized, 600 * 1024 * 1024);
  // A file whose metadata is lost too: nothing names its execution.
  const unknown = path.join(dataDir, 'executions', 'unknown.jsonl');
  fs.writeFileSync(unknown, 'not json\n{"kind":"event"}\n');

  const second = await serverOn();

  // One line each, naming the execution and its file.
  expect(second.warnings.sort()).toEqual(
    [
      `execution ${started.garbled} (${files.garbled}): line 3 is not JSON (Unexpected token '\\u0000', "\\u0000\\u0000\\u0000\\u0000" is not valid JSON); not resumed, listed as FAILED (States.Runtime) with the 1 event before it`,
      `execution ${started['not-an-event']} (${files['not-an-event']}): line 3 is not a history event; not resumed, listed as FAILED (States.Runtime) with the 1 event before it`,
      `execution ${started.oversized} (${files.oversized}): its history file is 600 MiB, more than the 512 MiB a start reads; not resumed, listed as FAILED (States.Runtime) without its history`,
      `skipped ${unknown}: its first line is not an execution's metadata (line 1 is not JSON (Unexpected token 'o', "not json" is not valid JSON))`,
    ].sort(),
  );
  for (const warning of second.warnings) expect(warning).not.toMatch(/\n/);

  for (const name of ['garbled', 'not-an-event', 'oversized']) {
    const described = await second.client.send(new DescribeExecutionCommand({ executionArn: started[name] }));
    expect(described).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(described.cause).toContain(files[name]);
  }
  const { events } = await second.client.send(new GetExecutionHistoryCommand({ executionArn: started.garbled }));
  expect(events?.map((event) => event.type)).toEqual(['ExecutionStarted']);
  // The damaged files are left as they were, for whoever wants to look.
  expect(fs.statSync(files.oversized).size).toBe(600 * 1024 * 1024);

  // Everything else came up: the finished execution, and the waiting one, resumed with its timer.
  await expect(second.client.send(new DescribeExecutionCommand({ executionArn: finished }))).resolves.toMatchObject({
    status: 'SUCCEEDED',
    output: '{"greeting":"Hello, Ada"}',
  });
  const response = await fetch(`${second.server.url}/_local/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"advanceSeconds":3600}',
  });
  expect(response.status).toBe(200);
  await expect(waitForEnd(second.client, started.waiting)).resolves.toMatchObject({ status: 'SUCCEEDED' });
  for (const name of ['garbled', 'not-an-event', 'oversized']) {
    const described = await second.client.send(new DescribeExecutionCommand({ executionArn: started[name] }));
    expect(described.status).toBe('FAILED');
  }
});
