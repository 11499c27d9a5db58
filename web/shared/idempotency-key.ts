/** A fresh Idempotency-Key for one request (1 to 80 of A-Z a-z 0-9 - _, as the API requires). */

/**
 * crypto.randomUUID exists only in secure contexts (https, localhost): a page opened over plain http from another
 * machine has getRandomValues alone, and 128 random bits in hex are as unique a key.
 */
export function newIdempotencyKey(
  source: Pick<Crypto, 'getRandomValues'> & Partial<Pick<Crypto, 'randomUUID'>> = crypto,
): string {
  if (typeof source.randomUUID === 'function') return source.randomUUID();
  return Array.from(source.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
