/**
 * The AWS-recorded ASL cases (tests/conformance/cases) run through the engine, as `npm run conformance` does.
 * Every case must pass except those listed in engine/README.md as AWS oddities (none are skipped here).
 */
import path from 'node:path';
import { runDirectory } from '../../scripts/conformance';

const CASES = path.join(__dirname, 'cases');

test('the engine reproduces at least 99% of the AWS-recorded executions', async () => {
  const results = await runDirectory(CASES);
  const failed = results.filter((r) => !r.ok);
  const passRate = (results.length - failed.length) / results.length;
  if (passRate < 0.99) {
    throw new Error(`${failed.length} of ${results.length} cases failed:\n${failed.map((r) => `${r.id}: ${r.reason}`).join('\n')}`);
  }
  expect(results.length).toBeGreaterThan(400);
  expect(passRate).toBeGreaterThanOrEqual(0.99);
}, 60_000);
