/**
 * `npm run conformance -- <dir>`: runs every AWS-recorded case in <dir> (format: README.md beside this file)
 * through the engine on a virtual clock, prints one line per failing case and ends with `N passed, M failed`.
 * Exit code 0 only when no case failed.
 */
import path from 'node:path';
import { runDirectory, type CaseResult } from './runner';

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: npm run conformance -- <dir with case files>');
    process.exit(2);
  }
  let results: CaseResult[];
  try {
    results = await runDirectory(path.resolve(dir));
  } catch (error) {
    console.error(`conformance: cannot read cases from ${dir}: ${(error as Error).message}`);
    process.exit(2);
  }
  const failed = results.filter((r) => !r.ok);
  for (const r of failed) console.log(`FAIL ${r.id}: ${r.reason}`);
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length === 0 ? 0 : 1);
}

void main();
