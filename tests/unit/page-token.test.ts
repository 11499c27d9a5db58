/**
 * Page tokens (functions/shared/infrastructure/page-token.ts): only the key and the listing that sealed a token open
 * it. Each key gets a module of its own (the key is read once per execution environment, as in Lambda).
 */
import './support/setup';

type PageTokens = typeof import('../../functions/shared/infrastructure/page-token');

/** A module of its own that has read `key` (it reads the key at its first seal or open, then keeps it). */
async function pageTokensWithKey(key: string): Promise<PageTokens> {
  process.env.PAGE_TOKEN_KEY = key;
  let loaded: PageTokens | undefined;
  jest.isolateModules(() => {
    loaded = require('../../functions/shared/infrastructure/page-token');
  });
  await loaded!.sealPageToken(null, '');
  return loaded!;
}

describe('page tokens', () => {
  let ours: PageTokens;
  let theirs: PageTokens;
  beforeAll(async () => {
    ours = await pageTokensWithKey('the key of one stack');
    theirs = await pageTokensWithKey('the key of another stack');
  });

  it('open only with the key and the listing that sealed them', async () => {
    const token = await ours.sealPageToken({ before: '2030-01-01T00:00:00.000Z#inc-1' }, 'status=RESOLVED');
    expect(await ours.openPageToken(token, 'status=RESOLVED')).toEqual({ before: '2030-01-01T00:00:00.000Z#inc-1' });
    expect(await ours.openPageToken(token, 'status=EXAM_SCHEDULED')).toBeUndefined();
    expect(await theirs.openPageToken(token, 'status=RESOLVED')).toBeUndefined();
  });

  it('are opaque: the cursor cannot be read from the token, and two seals of one cursor differ', async () => {
    const cursor = { before: '2030-01-01T00:00:00.000Z#inc-1' };
    const [first, second] = await Promise.all([ours.sealPageToken(cursor, ''), ours.sealPageToken(cursor, '')]);
    expect(first).not.toBe(second);
    for (const token of [first, second]) {
      expect(Buffer.from(token, 'base64url').toString('latin1')).not.toContain('inc-1');
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    }
  });

  it('refuse what is not a token: empty, other alphabets, too short, every single bit flipped', async () => {
    const token = await ours.sealPageToken({ before: 'x' }, '');
    for (const junk of ['', 'not a token', '====', 'AAAA', token.slice(0, 30)])
      expect(await ours.openPageToken(junk, '')).toBeUndefined();
    const bytes = Buffer.from(token, 'base64url');
    for (let bit = 0; bit < bytes.length * 8; bit += 7) {
      const flipped = Buffer.from(bytes);
      flipped[bit >> 3] ^= 1 << (bit & 7);
      expect(await ours.openPageToken(flipped.toString('base64url'), '')).toBeUndefined();
    }
  });
});
