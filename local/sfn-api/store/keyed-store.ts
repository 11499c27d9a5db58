/**
 * A JSON-lines file of put/delete records keyed by ARN (`<dataDir>/<name>.jsonl`), replayed at start and then
 * compacted to one put per live item: state machines, their versions and aliases, activities, map runs.
 * Each line is `{"op":"put","<itemField>":{...}}` or `{"op":"delete","<keyField>":"<arn>"}`.
 */
import path from 'node:path';
import { JsonLinesAppender, readJsonLines, writeJsonLinesAtomically } from './json-lines';

export class KeyedStore<T extends object> {
  private readonly file: string;
  private appender: JsonLinesAppender | undefined;

  constructor(
    dataDir: string,
    fileName: string,
    /** the member of a put line that holds the item (`stateMachine`) */
    private readonly itemField: string,
    /** the item's key member, also the member of a delete line (`stateMachineArn`) */
    private readonly keyField: keyof T & string,
  ) {
    this.file = path.join(dataDir, fileName);
  }

  /** Replays the log (tolerating a torn last line) and compacts it. Call once, before any put/delete. */
  load(): T[] {
    const items = new Map<string, T>();
    for (const record of readJsonLines(this.file) as Record<string, unknown>[]) {
      if (record.op === 'put') {
        const item = record[this.itemField] as T;
        items.set(item[this.keyField] as string, item);
      } else items.delete(record[this.keyField] as string);
    }
    const live = [...items.values()];
    writeJsonLinesAtomically(
      this.file,
      live.map((item) => ({ op: 'put', [this.itemField]: item })),
    );
    this.appender = new JsonLinesAppender(this.file);
    return live;
  }

  put(item: T): void {
    this.appender?.append({ op: 'put', [this.itemField]: item });
  }

  delete(key: string): void {
    this.appender?.append({ op: 'delete', [this.keyField]: key });
  }

  /** Stops writing: later puts and deletes are dropped, as they would be by a crash. */
  detach(): void {
    this.appender?.close();
    this.appender = undefined;
  }
}
