import { randomInt } from 'node:crypto';

/** A small seeded PRNG (mulberry32) so fault scenarios replay identically for a given seed and call order. */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number = randomInt(0, 2 ** 31)) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** True with probability `p`; never draws for p = 0 so unused switches don't shift the sequence of used ones. */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.next() < p;
  }

  /** Uniform in [min, max]. */
  between(min: number, max: number): number {
    if (max <= min) return min;
    return min + this.next() * (max - min);
  }
}
