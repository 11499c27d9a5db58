/**
 * What a function bundle was built from, kept next to it, so that a later build of the same sources can be
 * skipped: `npm start` then comes up without rebuilding functions nobody changed. esbuild has no on-disk cache
 * of its own, and its metafile already lists every input, so recording their sizes and modification times is
 * enough to tell "nothing changed" cheaply.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Records live beside the function folders, not in them, so a function folder holds only what Lambda loads. */
function recordFile(dir: string): string {
  return path.join(path.dirname(dir), '.build-records', `${path.basename(dir)}.json`);
}

interface BuildRecord {
  /** The esbuild options the bundle was built with, as JSON text. */
  options: string;
  /** Every input file (absolute) with `<size>:<mtimeMs>`. */
  inputs: Record<string, string>;
  /** The BuiltFunction the build produced (paths absolute). */
  result: unknown;
}

function fingerprint(file: string): string | undefined {
  try {
    const info = statSync(file);
    return `${info.size}:${info.mtimeMs}`;
  } catch {
    return undefined;
  }
}

export function writeBuildRecord(dir: string, options: unknown, inputFiles: string[], result: unknown): void {
  const inputs = Object.fromEntries(inputFiles.map((file) => [file, fingerprint(file) ?? 'missing']));
  const record: BuildRecord = { options: JSON.stringify(options), inputs, result };
  mkdirSync(path.dirname(recordFile(dir)), { recursive: true });
  writeFileSync(recordFile(dir), JSON.stringify(record));
}

/** The recorded result when the bundle in `dir` (a function's folder) was built with these options from inputs that have not changed. */
export function upToDateBuild<T>(dir: string, options: unknown): T | undefined {
  let record: BuildRecord;
  try {
    record = JSON.parse(readFileSync(recordFile(dir), 'utf8')) as BuildRecord;
  } catch {
    return undefined;
  }
  if (record.options !== JSON.stringify(options)) return undefined;
  for (const [file, recorded] of Object.entries(record.inputs)) {
    if (fingerprint(file) !== recorded) return undefined;
  }
  return record.result as T;
}
