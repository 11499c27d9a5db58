/**
 * The AWS-recorded ASL cases run through the engine, as `npm run conformance` does: cases/ (the cases the engine
 * was built against), cases-extra/ (executions added afterwards to check it beyond them) and cases-localstack/ (a
 * second extraction from LocalStack of the executions the first two sets lack); see their READMEs. Every case
 * must pass (none is skipped, none is special-cased), and each folder holds exactly the number of cases pinned
 * here: a case file that goes missing or a new one that is not counted fails the test, so no set can shrink
 * (or grow) unnoticed. Adding cases means raising the count in the same commit.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { runDirectory } from './runner';

const SUITES = [
  { dir: 'cases', count: 444 },
  { dir: 'cases-extra', count: 164 },
  { dir: 'cases-localstack', count: 280 },
];

describe.each(SUITES)('AWS-recorded executions in engine/tests/conformance/$dir', ({ dir, count }) => {
  const folder = path.join(__dirname, dir);

  test(`the folder holds exactly ${count} cases`, () => {
    expect(readdirSync(folder).filter((file) => file.endsWith('.json'))).toHaveLength(count);
  });

  test('the engine reproduces every one of them', async () => {
    const results = await runDirectory(folder);
    expect(results).toHaveLength(count);
    const failed = results.filter((r) => !r.ok).map((r) => `${r.id}: ${r.reason}`);
    expect(failed).toEqual([]);
  }, 60_000);
});
