/**
 * Executions on disk: one JSON-lines file per execution under `<dataDir>/executions/`, named by a hash of
 * its ARN (ARNs are too long and too free-form for file names). The first line is the execution's
 * metadata, then one line per history event as the engine emits it, and a `closed` line with the final
 * ExecutionInfo when it ends. An execution without a `closed` line was running when the process stopped. A redrive
 * (RedriveExecution) appends to the same file: events after a `closed` line reopen the execution, and it gets a
 * `closed` line again when it ends again.
 *
 * No file can stop a start: one that is damaged (a line that is not a record of ours, other than the torn last line
 * a crash leaves) or larger than MAX_HISTORY_FILE_BYTES is read as far as it can be, its execution is listed as it
 * ended or else as FAILED (never resumed), and the one-line problem names the execution and the file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ExecutionInfo, HistoryEvent } from '@serverless-workflows/sfn-engine';
import type { ExecutionMeta } from '../model';
import { type FileLine, JsonLinesAppender, readLines } from './json-lines';

type ExecutionLine =
  | { kind: 'meta'; meta: ExecutionMeta }
  | { kind: 'event'; event: HistoryEvent }
  | { kind: 'closed'; info: ExecutionInfo };

export interface StoredExecution {
  meta: ExecutionMeta;
  events: HistoryEvent[];
  /** set when the execution had ended (or could not be read whole: then FAILED, see `unreadable`) */
  closed?: ExecutionInfo;
  /** why its history could not be read whole: it is listed as it ended, or FAILED, and never resumed */
  unreadable?: string;
}

export interface LoadProblem {
  file: string;
  /** the execution the file holds, when its metadata line could be read */
  executionArn?: string;
  /** one line, naming the execution (when known) and the file */
  message: string;
}

/**
 * The largest history file a start reads: a whole-file read (what it did before) failed on anything past V8's
 * longest string, about 512 MiB. Histories are far smaller now that the engine applies AWS's quotas (25,000 events
 * for a STANDARD execution; an EXPRESS one keeps as many), unless their payloads are huge: then the execution is
 * ended before its file passes it (isFull), a local limit AWS does not have.
 */
export const MAX_HISTORY_FILE_BYTES = 512 * 1024 * 1024;
/** No line of ours comes near it: a definition is at most 1 MB and a payload 256 KiB, before JSON escaping. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;
/** How much of an oversized file's end is read for its `closed` line. */
const TAIL_BYTES = 4 * 1024 * 1024;

const statuses = new Set(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

export class ExecutionStore {
  private readonly dir: string;
  private readonly open = new Map<string, JsonLinesAppender>();
  private detached = false;

  constructor(
    dataDir: string,
    /** files larger than this are not read whole at start (MAX_HISTORY_FILE_BYTES) */
    readonly maxFileBytes = MAX_HISTORY_FILE_BYTES,
  ) {
    this.dir = path.join(dataDir, 'executions');
    fs.mkdirSync(this.dir, { recursive: true });
  }

  /**
   * Every stored execution. A file that cannot be read whole is never fatal: its execution is listed as its
   * `closed` line says, or as FAILED, and reported; one whose metadata line cannot be read is skipped and reported.
   */
  load(): { executions: StoredExecution[]; problems: LoadProblem[] } {
    const executions: StoredExecution[] = [];
    const problems: LoadProblem[] = [];
    for (const entry of fs
      .readdirSync(this.dir)
      .filter((name) => name.endsWith('.jsonl'))
      .sort()) {
      const file = path.join(this.dir, entry);
      let loaded: Loaded;
      try {
        const { size } = fs.statSync(file);
        loaded = size > this.maxFileBytes ? readOversized(file, size, this.maxFileBytes) : readHistoryFile(file);
      } catch (error) {
        loaded = { problem: `cannot be read (${(error as Error).message})` };
      }
      if (loaded.forget) {
        // The crash came before even the metadata line was complete: nothing started.
        try {
          fs.rmSync(file);
          continue;
        } catch (error) {
          loaded = { problem: `holds no execution, and cannot be removed (${(error as Error).message})` };
        }
      }
      if (loaded.stored) executions.push(loaded.stored);
      if (loaded.problem) {
        const executionArn = loaded.stored?.meta.executionArn;
        problems.push({
          file,
          executionArn,
          message: executionArn
            ? `execution ${executionArn} (${file}): ${loaded.problem}`
            : `skipped ${file}: ${loaded.problem}`,
        });
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

  /**
   * Whether an execution's file has reached 7/8 of what a start reads back: its execution must end now, so that
   * its last events (the closing one, the `closed` line: a payload of 256 KiB at most each) still fit.
   */
  isFull(executionArn: string): boolean {
    const appender = this.open.get(executionArn);
    return appender !== undefined && appender.size >= (this.maxFileBytes / 8) * 7;
  }

  close(info: ExecutionInfo): void {
    const appender = this.open.get(info.executionArn);
    if (!appender) return;
    appender.append({ kind: 'closed', info } satisfies ExecutionLine);
    appender.close();
    this.open.delete(info.executionArn);
  }

  /** Stops appending to an execution's file without writing anything (an execution that could not be resumed). */
  release(executionArn: string): void {
    this.open.get(executionArn)?.close();
    this.open.delete(executionArn);
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

  /** The file that holds an execution's metadata and history. */
  fileOf(executionArn: string): string {
    return path.join(this.dir, `${crypto.createHash('sha256').update(executionArn).digest('hex').slice(0, 40)}.jsonl`);
  }
}

/** What reading one file gave: an execution (perhaps not whole), a problem to report, or a file to forget. */
interface Loaded {
  stored?: StoredExecution;
  problem?: string;
  forget?: boolean;
}

/** A file of normal size, line by line: its metadata, its events and its `closed` line, up to any damage. */
function readHistoryFile(file: string): Loaded {
  let stored: StoredExecution | undefined;
  let damage: string | undefined;
  /** A line that is not JSON: the torn last line of a crash, unless another line follows it. */
  let unparsed: { line: FileLine; error: string } | undefined;
  let validLength = 0;
  for (const line of readLines(file, MAX_LINE_BYTES)) {
    if (unparsed) {
      damage ??= `line ${unparsed.line.number} is not JSON (${unparsed.error})`;
      unparsed = undefined;
    }
    if (line.text === '') {
      if (line.terminated && !damage) validLength = line.end;
      continue;
    }
    let record: unknown;
    try {
      record = JSON.parse(line.text);
    } catch (error) {
      unparsed = { line, error: printable((error as Error).message) };
      continue;
    }
    if (stored === undefined) {
      const meta = damage ? undefined : asMeta(record);
      if (!meta) return { problem: `its first line is not an execution's metadata${damage ? ` (${damage})` : ''}` };
      stored = { meta, events: [] };
    } else if (damage) {
      // Past the damage only the final status is taken: events after it could not be replayed.
      stored.closed = asClosed(record, stored.meta) ?? stored.closed;
      continue;
    } else {
      const problem = take(stored, record);
      if (problem) {
        damage = `line ${line.number} ${problem}`;
        continue;
      }
    }
    validLength = line.end;
    if (!line.terminated) {
      // A complete record that lost only its newline: add it so later appends stay line-separated.
      fs.appendFileSync(file, '\n');
      validLength += 1;
    }
  }
  // A crash before the metadata line was complete: the execution never started.
  if (stored === undefined)
    return damage ? { problem: `its first line is not an execution's metadata (${damage})` } : { forget: true };
  if (damage) return { stored, problem: markUnreadable(stored, damage, file) };
  // Only a torn last line to drop: truncate it away so later appends start on a clean line.
  if (unparsed) fs.truncateSync(file, validLength);
  return { stored };
}

/**
 * A file too large to read at start: its metadata from its first line, its start date from its ExecutionStarted,
 * and its `closed` line, if it ended, from its end. Its history is not loaded.
 */
function readOversized(file: string, size: number, limit: number): Loaded {
  const tooBig = `its history file is ${formatBytes(size)}, more than the ${formatBytes(limit)} a start reads`;
  const [first, second] = completeLines(file, 0, Math.min(size, MAX_LINE_BYTES));
  const meta = first === undefined ? undefined : parseJson(first, asMeta);
  if (!meta) return { problem: `${tooBig}, and its first line is not an execution's metadata` };
  const stored: StoredExecution = { meta, events: [] };
  const started =
    second === undefined ? undefined : parseJson(second, (record) => (record as { event?: unknown }).event);
  const startDate = isHistoryEvent(started) && started.type === 'ExecutionStarted' ? started.timestamp : undefined;
  const tail = completeLines(file, Math.max(0, size - TAIL_BYTES), size).filter((line) => line.trim() !== '');
  const closed = tail.length === 0 ? undefined : parseJson(tail[tail.length - 1], (record) => asClosed(record, meta));
  if (closed) stored.closed = closed;
  return { stored, problem: markUnreadable(stored, tooBig, file, startDate) };
}

/** The newline-terminated lines in bytes [from, to) of a file (a line cut by `from` is left out too). */
function completeLines(file: string, from: number, to: number): string[] {
  const buffer = Buffer.alloc(to - from);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, buffer, 0, buffer.length, from);
  } finally {
    fs.closeSync(fd);
  }
  const lines = buffer.toString('utf8').split('\n');
  lines.pop(); // not terminated within the range
  if (from > 0) lines.shift(); // its start lies before the range
  return lines;
}

/** Adds an event or the `closed` record to the execution; a sentence saying what is wrong with it otherwise. */
function take(stored: StoredExecution, record: unknown): string | undefined {
  const { kind } = (record ?? {}) as { kind?: unknown };
  if (kind === 'event') {
    const event = (record as { event?: unknown }).event;
    if (!isHistoryEvent(event)) return 'is not a history event';
    const last = stored.events.at(-1)?.id ?? 0;
    if (event.id <= last) return `has event #${event.id} after #${last}`;
    stored.events.push(event);
    // An event after the `closed` line: the execution was redriven and runs (or ran) again.
    delete stored.closed;
    return undefined;
  }
  if (kind === 'closed') {
    const closed = asClosed(record, stored.meta);
    if (!closed) return "is not the execution's final status";
    stored.closed = closed;
    return undefined;
  }
  return 'is not a history record';
}

/**
 * An execution whose history could not be read whole: listed as its `closed` line says, or else as FAILED (never
 * resumed: the history it would replay is not all there). Returns the report (one line; the caller names the
 * execution and the file first).
 */
function markUnreadable(stored: StoredExecution, reason: string, file: string, startDate?: number): string {
  stored.unreadable = reason;
  const count = stored.events.length;
  const kept = count === 0 ? 'without its history' : `with the ${count} event${count === 1 ? '' : 's'} before it`;
  if (stored.closed) return `${reason}; listed as ${stored.closed.status}, as it ended, ${kept}`;
  markFailedAtStart(stored, reason, file, startDate);
  return `${reason}; not resumed, listed as FAILED (States.Runtime) ${kept}`;
}

/**
 * Lists a stored execution that was running as FAILED (States.Runtime), with the reason it was not resumed in its
 * cause. Nothing is written: the file stays as it is, and the next start reads it (and reports it) again.
 */
export function markFailedAtStart(stored: StoredExecution, reason: string, file: string, startDate?: number): void {
  let mtimeMs = 0;
  try {
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch {
    // gone since: the history's own times will do
  }
  const started = stored.events[0]?.timestamp ?? startDate ?? mtimeMs;
  stored.closed = {
    executionArn: stored.meta.executionArn,
    stateMachineArn: stored.meta.stateMachineArn,
    name: stored.meta.name,
    status: 'FAILED',
    startDate: started,
    stopDate: Math.max(started, stored.events.at(-1)?.timestamp ?? 0, mtimeMs),
    input: parseJson(stored.meta.input, (value) => value) ?? null,
    error: 'States.Runtime',
    cause: `The local Step Functions API did not resume this execution at start: ${reason} (${file}).`,
  };
}

function parseJson<T>(text: string, shape: (value: unknown) => T | undefined): T | undefined {
  try {
    return shape(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function asMeta(record: unknown): ExecutionMeta | undefined {
  const { kind, meta } = (record ?? {}) as { kind?: unknown; meta?: Partial<ExecutionMeta> | null };
  if (kind !== 'meta' || typeof meta !== 'object' || meta === null) return undefined;
  const texts = [meta.executionArn, meta.stateMachineArn, meta.stateMachineName, meta.name, meta.input];
  if (!texts.every((text) => typeof text === 'string')) return undefined;
  if (meta.type !== 'STANDARD' && meta.type !== 'EXPRESS') return undefined;
  if (typeof meta.stateMachine?.definition !== 'string') return undefined;
  if (parseJson(meta.input as string, () => true) !== true) return undefined;
  return meta as ExecutionMeta;
}

function asClosed(record: unknown, meta: ExecutionMeta): ExecutionInfo | undefined {
  const { kind, info } = (record ?? {}) as { kind?: unknown; info?: Partial<ExecutionInfo> | null };
  if (kind !== 'closed' || typeof info !== 'object' || info === null) return undefined;
  if (info.executionArn !== meta.executionArn || !statuses.has(info.status as string)) return undefined;
  if (!Number.isFinite(info.startDate)) return undefined;
  return info as ExecutionInfo;
}

function isHistoryEvent(event: unknown): event is HistoryEvent {
  const { id, type, timestamp } = (event ?? {}) as Partial<HistoryEvent>;
  return Number.isInteger(id) && (id as number) > 0 && typeof type === 'string' && Number.isFinite(timestamp);
}

/** A parser's message about a damaged line, fit for one console line: control characters escaped, kept short. */
function printable(text: string): string {
  let escaped = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    escaped += code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : c;
  }
  return escaped.length > 120 ? `${escaped.slice(0, 117)}...` : escaped;
}

function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
