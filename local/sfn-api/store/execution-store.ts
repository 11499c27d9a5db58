/**
 * Executions on disk: one JSON-lines file per execution under `<dataDir>/executions/`, named by a hash of
 * its ARN (ARNs are too long and too free-form for file names). The first line is the execution's
 * metadata, then one line per history event as the engine emits it, and a `closed` line with the final
 * ExecutionInfo when it ends. An execution without a `closed` line was running when the process stopped.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ExecutionInfo, HistoryEvent } from '@serverless-workflows/sfn-engine';
import type { ExecutionMeta } from '../model';
import { CorruptStoreFileError, JsonLinesAppender, readJsonLines } from './json-lines';

type ExecutionLine =
  | { kind: 'meta'; meta: ExecutionMeta }
  | { kind: 'event'; event: HistoryEvent }
  | { kind: 'closed'; info: ExecutionInfo };

export interface StoredExecution {
  meta: ExecutionMeta;
  events: HistoryEvent[];
  /** set when the execution had ended */
  closed?: ExecutionInfo;
}

export interface LoadProblem {
  file: string;
  message: string;
}

export class ExecutionStore {
  private readonly dir: string;
  private readonly open = new Map<string, JsonLinesAppender>();
  private detached = false;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'executions');
    fs.mkdirSync(this.dir, { recursive: true });
  }

  /** Every stored execution; unreadable files are reported and skipped, never fatal to the others. */
  load(): { executions: StoredExecution[]; problems: LoadProblem[] } {
    const executions: StoredExecution[] = [];
    const problems: LoadProblem[] = [];
    for (const entry of fs
      .readdirSync(this.dir)
      .filter((name) => name.endsWith('.jsonl'))
      .sort()) {
      const file = path.join(this.dir, entry);
      try {
        const stored = this.parse(readJsonLines(file) as ExecutionLine[]);
        if (stored) executions.push(stored);
        else fs.rmSync(file); // the crash came before even the metadata line was complete: nothing started
      } catch (error) {
        if (!(error instanceof CorruptStoreFileError)) throw error;
        problems.push({ file, message: error.message });
      }
    }
    return { executions, problems };
  }

  /** Starts (or, after a restart, continues) the file of an execution. */
  begin(meta: ExecutionMeta, options: { resume: boolean }): void {
    if (this.detached) return;
    const appender = new JsonLinesAppender(this.fileOf(meta.executionArn));
    if (!options.resume) appender.append({ kind: 'meta', meta } satisfies ExecutionLine);
    this.open.set(meta.executionArn, appender);
  }

  appendEvent(executionArn: string, event: HistoryEvent): void {
    this.open.get(executionArn)?.append({ kind: 'event', event } satisfies ExecutionLine);
  }

  close(info: ExecutionInfo): void {
    const appender = this.open.get(info.executionArn);
    if (!appender) return;
    appender.append({ kind: 'closed', info } satisfies ExecutionLine);
    appender.close();
    this.open.delete(info.executionArn);
  }

  /** Forgets an execution that could not start (removes its file). */
  discard(executionArn: string): void {
    this.open.get(executionArn)?.close();
    this.open.delete(executionArn);
    fs.rmSync(this.fileOf(executionArn), { force: true });
  }

  /** Stops writing: whatever happens after this is dropped, as it would be by a crash. */
  detach(): void {
    this.detached = true;
    for (const appender of this.open.values()) appender.close();
    this.open.clear();
  }

  private fileOf(executionArn: string): string {
    return path.join(this.dir, `${crypto.createHash('sha256').update(executionArn).digest('hex').slice(0, 40)}.jsonl`);
  }

  private parse(lines: ExecutionLine[]): StoredExecution | undefined {
    const [first, ...rest] = lines;
    if (first?.kind !== 'meta') return undefined;
    const stored: StoredExecution = { meta: first.meta, events: [] };
    for (const line of rest) {
      if (line.kind === 'event') stored.events.push(line.event);
      else if (line.kind === 'closed') stored.closed = line.info;
    }
    return stored;
  }
}
