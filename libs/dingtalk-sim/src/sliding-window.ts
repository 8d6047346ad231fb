/**
 * Counts events in the trailing window (1 s for QPS). Timestamps live in a ring buffer that only grows to the
 * peak rate, so recording is O(1) amortised however long the simulator runs.
 */
export class SlidingWindowCounter {
  private times: number[] = [];
  private head = 0;
  private peakCount = 0;

  constructor(private readonly windowMs: number) {}

  /** Records an event at `now` and returns how many events (including it) fall inside the window. */
  record(now: number): number {
    this.evict(now);
    this.times.push(now);
    const count = this.times.length - this.head;
    if (count > this.peakCount) this.peakCount = count;
    return count;
  }

  /** Events in the window ending at `now`, without recording one. */
  count(now: number): number {
    this.evict(now);
    return this.times.length - this.head;
  }

  get peak(): number {
    return this.peakCount;
  }

  private evict(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.head < this.times.length && this.times[this.head]! <= cutoff) this.head++;
    // Compact occasionally instead of shifting on every eviction.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}
