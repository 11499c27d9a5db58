/**
 * Append-only JSON-lines files: one JSON value per line, written with a synchronous write(2) as things
 * happen. No fsync per line ("fsync-light"): a written line is in the OS page cache, so it survives the
 * process being killed (kill -9), which is the crash the local runtime must survive.
 *
 * A crash can leave a torn last line (no newline, or half a JSON value). Reading tolerates it and
 * truncates the file back to the last complete line, so later appends start on a clean line.
 */
import fs from 'node:fs';

export class CorruptStoreFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line} is not a JSON line (${detail}); only the last line of a store file may be torn by a crash`);
    this.name = 'CorruptStoreFileError';
  }
}

/** One line of a JSON-lines file, as `readLines` gives it. */
export interface FileLine {
  /** 1-based */
  number: number;
  text: string;
  /** the byte offset just past it (past its newline, when it has one) */
  end: number;
  /** false for a last line without its newline (what a crash mid-write leaves) */
  terminated: boolean;
}

const CHUNK_BYTES = 1024 * 1024;

/**
 * The lines of a file, read a chunk at a time: no string (or buffer) the size of the file is ever made, so a file
 * larger than V8's longest string (about 512 MiB: "Cannot create a string longer than ...") can be read too.
 * A line longer than `maxLineBytes` is given cut short (`text` its first maxLineBytes bytes): no JSON line of
 * ours is that long, and one that is must not make a string the size of the file either.
 */
export function* readLines(file: string, maxLineBytes = 64 * 1024 * 1024): Generator<FileLine> {
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let parts: Buffer[] = [];
    let partBytes = 0;
    let offset = 0;
    let number = 0;
    for (;;) {
      const read = fs.readSync(fd, chunk, 0, CHUNK_BYTES, offset);
      if (read === 0) break;
      const view = chunk.subarray(0, read);
      let start = 0;
      for (let newline = view.indexOf(10); newline !== -1; newline = view.indexOf(10, start)) {
        const piece = view.subarray(start, Math.min(newline, start + Math.max(0, maxLineBytes - partBytes)));
        const text = (parts.length === 0 ? piece : Buffer.concat([...parts, piece])).toString('utf8');
        parts = [];
        partBytes = 0;
        start = newline + 1;
        yield { number: ++number, text, end: offset + start, terminated: true };
      }
      if (start < read && partBytes < maxLineBytes) {
        const rest = view.subarray(start, Math.min(read, start + maxLineBytes - partBytes));
        parts.push(Buffer.from(rest));
        partBytes += rest.length;
      }
      offset += read;
    }
    if (parts.length > 0) {
      yield { number: ++number, text: Buffer.concat(parts).toString('utf8'), end: offset, terminated: false };
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Every complete record of the file, in order; [] when the file does not exist. */
export function readJsonLines(file: string): unknown[] {
  if (!fs.existsSync(file)) return [];
  const records: unknown[] = [];
  let validLength = 0;
  let size = 0;
  let pending: { line: FileLine; error: Error } | undefined;
  for (const line of readLines(file)) {
    size = line.end;
    // A broken line followed by another one is not a torn tail: only the last line may be torn by a crash.
    if (pending) throw new CorruptStoreFileError(file, pending.line.number, pending.error.message);
    if (line.text === '') {
      if (line.terminated) validLength = line.end;
      continue;
    }
    try {
      records.push(JSON.parse(line.text));
    } catch (error) {
      pending = { line, error: error as Error };
      continue;
    }
    validLength = line.end;
    // A complete JSON value without its newline: keep it and add the newline so appends stay line-separated.
    if (!line.terminated) {
      fs.appendFileSync(file, '\n');
      validLength += 1;
      size += 1;
    }
  }
  if (validLength < size) fs.truncateSync(file, validLength);
  return records;
}

export class JsonLinesAppender {
  private fd: number | undefined;
  /** the file's size in bytes, as far as this appender knows (what was there, and what it wrote) */
  size: number;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'a');
    this.size = fs.fstatSync(this.fd).size;
  }

  append(record: unknown): void {
    if (this.fd === undefined) throw new Error(`${this.file} is closed`);
    this.size += fs.writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  close(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Replaces a file's content atomically (temp file + rename), for compaction. */
export function writeJsonLinesAtomically(file: string, records: readonly unknown[]): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, records.map((record) => `${JSON.stringify(record)}\n`).join(''));
  fs.renameSync(temp, file);
}
