/**
 * `npm run conformance -- <dir>`: runs every AWS-recorded case in <dir> (format: README.md beside this file)
 * through the engine on a virtual clock, prints one line per failing case (FAIL: its outcome is not the recorded
 * one) and per case whose recorded history the engine does not reproduce (HISTORY), then both figures,
 * `outcome N/M, history N/M` (of the cases that have a history), and ends with `N passed, M failed` (outcomes), as
 * the contract (docs/contract.md) words it. Exit code 0 only when no outcome failed.
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
  const withHistory = results.filter((r) => r.history);
  const differing = withHistory.filter((r) => !r.history?.ok);
  for (const r of differing) console.log(`HISTORY ${r.id}: ${r.history?.reason}`);
  console.log(
    `outcome ${results.length - failed.length}/${results.length}, history ${withHistory.length - differing.length}/${withHistory.length}`,
  );
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length === 0 ? 0 : 1);
}

void main();
