/** The digest algorithms of States.Hash and $hash, keyed by AWS's names (case-sensitive, as AWS checks them). */
import { createHash } from 'node:crypto';

const NODE_ALGORITHM: Readonly<Record<string, string>> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

export function isHashAlgorithm(name: string): boolean {
  return Object.hasOwn(NODE_ALGORITHM, name);
}

/** Lower-case hex digest of the UTF-8 bytes of `data`. */
export function hexDigest(data: string, algorithm: string): string {
  const nodeName = NODE_ALGORITHM[algorithm];
  if (!nodeName) throw new Error(`unsupported hash algorithm ${algorithm}`);
  return createHash(nodeName).update(data, 'utf8').digest('hex');
}
