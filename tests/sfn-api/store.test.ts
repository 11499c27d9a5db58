import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CorruptStoreFileError, JsonLinesAppender, readJsonLines } from '../../local/sfn-api/store/json-lines';
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

  it('forgets a file whose metadata line was torn (the execution never started)', () => {
    fs.mkdirSync(path.join(dir, 'executions'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'executions', 'half.jsonl'), '{"kind":"meta","me');
    expect(new ExecutionStore(dir).load().executions).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'executions'))).toEqual([]);
  });
});
