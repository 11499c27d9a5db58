/**
 * java.util.Random, bit for bit. AWS's seeded random functions are Java's: `$random(77)` returned
 * 0.7240700207191966 on AWS, which is `new java.util.Random(77).nextDouble()`. Reproducing the generator
 * makes seeded results identical to AWS's. Written by hand: no npm package reproduces Java's LCG exactly.
 */
const MULTIPLIER = 0x5deece66dn;
const ADDEND = 0xbn;
const MASK = (1n << 48n) - 1n;

export class JavaRandom {
  private seed: bigint;

  constructor(seed: number) {
    this.seed = (BigInt(Math.trunc(seed)) ^ MULTIPLIER) & MASK;
  }

  private next(bits: number): number {
    this.seed = (this.seed * MULTIPLIER + ADDEND) & MASK;
    return Number(BigInt.asIntN(32, this.seed >> BigInt(48 - bits)));
  }

  /** A double in [0, 1). */
  nextDouble(): number {
    const high = this.next(26) >>> 0;
    const low = this.next(27) >>> 0;
    return (high * 2 ** 27 + low) * 2 ** -53;
  }

  /** An int in [0, bound); bound must be positive and at most 2^31-1. */
  nextInt(bound: number): number {
    let r = this.next(31);
    const m = bound - 1;
    if ((bound & m) === 0) return Number((BigInt(bound) * BigInt(r)) >> 31n);
    // Java rejects the draw when `u - r + m` overflows a 32-bit int, and draws again.
    let u = r;
    r = u % bound;
    while (u - r + m > 0x7fffffff) {
      u = this.next(31);
      r = u % bound;
    }
    return r;
  }
}
