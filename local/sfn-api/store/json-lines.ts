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

/** Every complete record of the file, in order; [] when the file does not exist. */
export function readJsonLines(file: string): unknown[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const lines = text.split('\n');
  const records: unknown[] = [];
  let validLength = 0;
  for (const [index, line] of lines.entries()) {
    const isLast = index === lines.length - 1;
    if (line === '') {
      if (!isLast) validLength += 1;
      continue;
    }
    try {
      records.push(JSON.parse(line));
    } catch (error) {
      // Only the final line (no newline after it, or the line before a trailing empty remainder) may be torn.
      const isTornTail = isLast || (index === lines.length - 2 && lines[lines.length - 1] === '');
      if (!isTornTail) throw new CorruptStoreFileError(file, index + 1, (error as Error).message);
      break;
    }
    validLength += Buffer.byteLength(line) + 1;
    // A complete JSON value without its newline: keep it and add the newline so appends stay line-separated.
    if (isLast) fs.appendFileSync(file, '\n');
  }
  if (validLength < Buffer.byteLength(text)) fs.truncateSync(file, validLength);
  return records;
}

export class JsonLinesAppender {
  private fd: number | undefined;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'a');
  }

  append(record: unknown): void {
    if (this.fd === undefined) throw new Error(`${this.file} is closed`);
    fs.writeSync(this.fd, `${JSON.stringify(record)}\n`);
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
