/**
 * State machines on disk: `<dataDir>/state-machines.jsonl`, a log of put/delete records replayed at start
 * and then compacted to one put per live state machine.
 */
import path from 'node:path';
import type { StateMachineRecord } from '../model';
import { JsonLinesAppender, readJsonLines, writeJsonLinesAtomically } from './json-lines';

type LogRecord = { op: 'put'; stateMachine: StateMachineRecord } | { op: 'delete'; stateMachineArn: string };

export class StateMachineStore {
  private readonly file: string;
  private appender: JsonLinesAppender | undefined;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'state-machines.jsonl');
  }

  /** Replays the log (tolerating a torn last line) and compacts it. Call once, before any put/delete. */
  load(): StateMachineRecord[] {
    const machines = new Map<string, StateMachineRecord>();
    for (const record of readJsonLines(this.file) as LogRecord[]) {
      if (record.op === 'put') machines.set(record.stateMachine.stateMachineArn, record.stateMachine);
      else machines.delete(record.stateMachineArn);
    }
    const live = [...machines.values()];
    writeJsonLinesAtomically(
      this.file,
      live.map((stateMachine): LogRecord => ({ op: 'put', stateMachine })),
    );
    this.appender = new JsonLinesAppender(this.file);
    return live;
  }

  put(stateMachine: StateMachineRecord): void {
    this.append({ op: 'put', stateMachine });
  }

  delete(stateMachineArn: string): void {
    this.append({ op: 'delete', stateMachineArn });
  }

  /** Stops writing: later puts and deletes are dropped, as they would be by a crash. */
  detach(): void {
    this.appender?.close();
    this.appender = undefined;
  }

  private append(record: LogRecord): void {
    this.appender?.append(record);
  }
}
