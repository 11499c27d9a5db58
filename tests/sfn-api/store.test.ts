import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CorruptStoreFileError,
  JsonLinesAppender,
  readJsonLines,
  readLines,
} from '../../local/sfn-api/store/json-lines';
import { ExecutionStore } from '../../local/sfn-api/store/execution-store';
import { StateMachineStore } from '../../local/sfn-api/store/state-machine-store';
import type { ExecutionMeta, StateMachineRecord } from '../../local/sfn-api/model';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfn-store-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('JSON-lines files', () => {
  it('reads what was appended, in order', () => {
    const file = path.join(dir, 'a.jsonl');
    const appender = new JsonLinesAppender(file);
    appender.append({ n: 1 });
    appender.append({ n: 2 });
    appender.close();
    expect(readJsonLines(file)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('is empty for a file that does not exist', () => {
    expect(readJsonLines(path.join(dir, 'missing.jsonl'))).toEqual([]);
  });

  it('drops a torn last line and truncates it away so later appends start on a clean line', () => {
    const file = path.join(dir, 'torn.jsonl');
    fs.writeFileSync(file, '{"n":1}\n{"n":2}\n{"n":3,"na');
    expect(readJsonLines(file)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n');
    const appender = new JsonLinesAppender(file);
    appender.append({ n: 4 });
    appender.close();
    expect(readJsonLines(file)).toEqual([{ n: 1 }, { n: 2 }, { n: 4 }]);
  });

  it('keeps a complete last record that lost only its newline', () => {
    const file = path.join(dir, 'no-newline.jsonl');
    fs.writeFileSync(file, '{"n":1}\n{"n":2}');
    expect(readJsonLines(file)).toEqual([{ n: 1 }, { n: 2 }]);
    const appender = new JsonLinesAppender(file);
    appender.append({ n: 3 });
    appender.close();
    expect(readJsonLines(file)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('reads a file a chunk at a time: lines across chunk boundaries, and one longer than a chunk', () => {
    const file = path.join(dir, 'long.jsonl');
    const long = { text: 'x'.repeat(3 * 1024 * 1024) };
    const records = [{ n: 1 }, long, ...Array.from({ length: 20_000 }, (_, n) => ({ n, pad: 'y'.repeat(n % 97) }))];
    fs.writeFileSync(file, records.map((record) => `${JSON.stringify(record)}\n`).join(''));
    expect(readJsonLines(file)).toEqual(records);
    expect([...readLines(file)].map((line) => line.number)).toEqual(records.map((_, index) => index + 1));
  });

  it('cuts a line longer than its limit short instead of holding it whole', () => {
    const file = path.join(dir, 'huge-line.jsonl');
    fs.writeFileSync(file, `${'z'.repeat(5000)}\n{"n":2}\n`);
    expect([...readLines(file, 100)].map((line) => [line.number, line.text.length])).toEqual([
      [1, 100],
      [2, 7],
    ]);
  });

  it('refuses a broken line in the middle, naming the file and line', () => {
    const file = path.join(dir, 'corrupt.jsonl');
    fs.writeFileSync(file, '{"n":1}\nnot json\n{"n":3}\n');
    expect(() => readJsonLines(file)).toThrow(CorruptStoreFileError);
    expect(() => readJsonLines(file)).toThrow(/corrupt\.jsonl:2 is not a JSON line/);
  });
});

const machine = (name: string, definition = '{}'): StateMachineRecord => ({
  stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`,
  name,
  type: 'STANDARD',
  definition,
  roleArn: 'arn:aws:iam::123456789012:role/r',
  loggingConfiguration: { level: 'OFF', includeExecutionData: false },
  tracingConfiguration: { enabled: false },
  tags: [],
  creationDate: 1,
  updateDate: 1,
});

describe('StateMachineStore', () => {
  it('replays puts and deletes, then compacts the log to one put per state machine', () => {
    const store = new StateMachineStore(dir);
    expect(store.load()).toEqual([]);
    store.put(machine('A'));
    store.put(machine('B'));
    store.put(machine('A', '{"v":2}'));
    store.delete(machine('B').stateMachineArn);
    store.detach();

    const reloaded = new StateMachineStore(dir);
    expect(reloaded.load()).toEqual([machine('A', '{"v":2}')]);
    expect(fs.readFileSync(path.join(dir, 'state-machines.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('writes nothing once detached (as after a crash)', () => {
    const store = new StateMachineStore(dir);
    store.load();
    store.detach();
    store.put(machine('A'));
    expect(new StateMachineStore(dir).load()).toEqual([]);
  });
});

describe('ExecutionStore', () => {
  const meta: ExecutionMeta = {
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:A:e1',
    stateMachineArn: machine('A').stateMachineArn,
    stateMachineName: 'A',
    name: 'e1',
    type: 'STANDARD',
    input: '{}',
    stateMachine: machine('A'),
  };
  const event = (id: number, type: string) => ({ id, previousEventId: id - 1, type, timestamp: 1000 * id });

  it('keeps a running execution (no closed line) with its events, and a closed one with its final info', () => {
    const store = new ExecutionStore(dir);
    store.begin(meta, { resume: false });
    store.appendEvent(meta.executionArn, event(1, 'ExecutionStarted'));
    store.appendEvent(meta.executionArn, event(2, 'TaskStateEntered'));
    const other = { ...meta, executionArn: `${meta.executionArn}x`, name: 'e1x' };
    store.begin(other, { resume: false });
    store.appendEvent(other.executionArn, event(1, 'ExecutionStarted'));
    store.close({
      executionArn: other.executionArn,
      stateMachineArn: other.stateMachineArn,
      name: 'e1x',
      status: 'SUCCEEDED',
      startDate: 1,
      stopDate: 2,
      input: {},
      output: 1,
    });
    store.detach();

    const { executions, problems } = new ExecutionStore(dir).load();
    expect(problems).toEqual([]);
    const running = executions.find((execution) => execution.meta.executionArn === meta.executionArn)!;
    expect(running.closed).toBeUndefined();
    expect(running.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered']);
    const closed = executions.find((execution) => execution.meta.executionArn === other.executionArn)!;
    expect(closed.closed?.status).toBe('SUCCEEDED');
  });

  it('continues the same file after a restart (resume) and tolerates the torn line a crash left', () => {
    const store = new ExecutionStore(dir);
    store.begin(meta, { resume: false });
    store.appendEvent(meta.executionArn, event(1, 'ExecutionStarted'));
    store.detach();
    const [file] = fs.readdirSync(path.join(dir, 'executions'));
    fs.appendFileSync(path.join(dir, 'executions', file), '{"kind":"event","event":{"id":2,"ty');

    const restarted = new ExecutionStore(dir);
    const [loaded] = restarted.load().executions;
    expect(loaded.events.map((e) => e.id)).toEqual([1]);
    restarted.begin(meta, { resume: true });
    restarted.appendEvent(meta.executionArn, event(2, 'TaskStateEntered'));
    restarted.detach();
    expect(new ExecutionStore(dir).load().executions[0].events.map((e) => e.id)).toEqual([1, 2]);
  });

  it('skips (and reports) a corrupt file without losing the others', () => {
    const store = new ExecutionStore(dir);
    store.begin(meta, { resume: false });
    store.detach();
    fs.writeFileSync(path.join(dir, 'executions', 'broken.jsonl'), 'garbage\n{"kind":"event"}\n');
    const { executions, problems } = new ExecutionStore(dir).load();
    expect(executions).toHaveLength(1);
    expect(problems).toEqual([expect.objectContaining({ file: expect.stringContaining('broken.jsonl') })]);
  });

  const closedInfo = {
    executionArn: meta.executionArn,
    stateMachineArn: meta.stateMachineArn,
    name: 'e1',
    status: 'SUCCEEDED' as const,
    startDate: 1000,
    stopDate: 3000,
    input: {},
    output: 'done',
  };

  /** A history file written the way the store writes it. */
  function historyFile(lines: unknown[]): string {
    fs.mkdirSync(path.join(dir, 'executions'), { recursive: true });
    const file = new ExecutionStore(dir).fileOf(meta.executionArn);
    fs.writeFileSync(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
    return file;
  }

  it('lists an execution whose history has a damaged line as it ended, when its closed line survives', () => {
    const file = historyFile([
      { kind: 'meta', meta },
      { kind: 'event', event: event(1, 'ExecutionStarted') },
      { kind: 'event', event: event(1, 'PassStateEntered') },
      { kind: 'event', event: event(3, 'ExecutionSucceeded') },
      { kind: 'closed', info: closedInfo },
    ]);
    const { executions, problems } = new ExecutionStore(dir).load();
    expect(executions).toEqual([expect.objectContaining({ closed: closedInfo, unreadable: expect.any(String) })]);
    expect(executions[0].events.map((e) => e.id)).toEqual([1]);
    expect(problems).toEqual([
      {
        file,
        executionArn: meta.executionArn,
        message: `execution ${meta.executionArn} (${file}): line 3 has event #1 after #1; listed as SUCCEEDED, as it ended, with the 1 event before it`,
      },
    ]);
  });

  it("reads only the ends of a file over the size limit: its metadata, its start and its closed line's status", () => {
    const lines = [
      { kind: 'meta', meta },
      { kind: 'event', event: event(1, 'ExecutionStarted') },
      ...Array.from({ length: 200 }, (_, index) => ({ kind: 'event', event: event(index + 2, 'PassStateEntered') })),
    ];
    const running = historyFile(lines);
    const [failed] = new ExecutionStore(dir, 4096).load().executions;
    expect(failed).toMatchObject({
      events: [],
      closed: { status: 'FAILED', error: 'States.Runtime', startDate: 1000 },
    });
    expect(failed.closed?.cause).toContain(`its history file is ${(fs.statSync(running).size / 1024).toFixed(0)} KiB`);

    historyFile([...lines, { kind: 'closed', info: closedInfo }]);
    const { executions, problems } = new ExecutionStore(dir, 4096).load();
    expect(executions).toEqual([expect.objectContaining({ events: [], closed: closedInfo })]);
    expect(problems[0].message).toMatch(
      /, more than the 4\.0 KiB a start reads; listed as SUCCEEDED, as it ended, without its history$/,
    );
  });

  it('forgets a file whose metadata line was torn (the execution never started)', () => {
    fs.mkdirSync(path.join(dir, 'executions'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'executions', 'half.jsonl'), '{"kind":"meta","me');
    expect(new ExecutionStore(dir).load().executions).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'executions'))).toEqual([]);
  });
});
