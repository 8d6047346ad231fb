import { type SeededRandom } from './prng.js';

/**
 * Per-recipient flow control (`flowControlledStaffIdList`): listed users are throttled for their first N sends and
 * delivered afterwards; any other valid user is throttled with a seeded probability. Flow-controlled users are not
 * delivered, so a sender must re-send exactly them (spec §8.2).
 */
export class FlowControl {
  private readonly listed: ReadonlySet<string>;
  private readonly remaining = new Map<string, number>();

  constructor(
    config: { userIds: readonly string[]; times: number; rate: number },
    private readonly random: () => SeededRandom,
    private readonly rate = config.rate,
    private readonly times = config.times,
  ) {
    this.listed = new Set(config.userIds);
  }

  /** Decides (and consumes) flow control for one send to one valid user. */
  throttles(userId: string): boolean {
    if (this.listed.has(userId)) {
      const left = this.remaining.get(userId) ?? this.times;
      if (left <= 0) return false;
      this.remaining.set(userId, left - 1);
      return true;
    }
    return this.rate > 0 && this.random().chance(this.rate);
  }

  /** Remaining throttled sends of a listed user (0 for anyone else). */
  remainingFor(userId: string): number {
    if (!this.listed.has(userId)) return 0;
    return this.remaining.get(userId) ?? this.times;
  }
}
