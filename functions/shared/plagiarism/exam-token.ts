/** Checking the task token a student presents against the one issued for the exam. */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time comparison, so response timing reveals nothing about the stored token. timingSafeEqual needs
 * buffers of equal length: comparing SHA-256 digests gives that without leaking the token's length either.
 */
export function isIssuedToken(issued: string | undefined, presented: string): boolean {
  if (!issued) return false;
  return timingSafeEqual(digest(issued), digest(presented));
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
