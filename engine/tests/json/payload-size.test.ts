/** AWS's 256 KiB payload limit (json/payload-size.ts). */
import { harness, runToEnd } from '../../src/testing/harness';

const pass = (extra: object = {}) => ({ StartAt: 'P', States: { P: { Type: 'Pass', End: true, ...extra } } });

describe('payload limits', () => {
  test('an input of exactly 256 KiB passes; one byte more fails with States.DataLimitExceeded', async () => {
    const h = harness();
    const exact = await runToEnd(h, h.start(pass(), 'x'.repeat(262_144 - 2), 'exact'));
    expect(exact.status).toBe('SUCCEEDED');
    const over = await runToEnd(h, h.start(pass(), `${'é'.repeat(131_071)}x`, 'over'));
    expect(over).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  });
});
