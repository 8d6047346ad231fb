import { Logger } from '@nestjs/common';
import { within } from '../async/time-limit.js';
import type { DingrelayMetrics } from './dingrelay-metrics.js';

export interface ScrapeReadOptions {
  /** A value this fresh is served again instead of reading (Postgres reads: every scraper, every few seconds). */
  cacheMs: number;
  /** A read slower than this is given up for this scrape: a sick dependency must not hang /metrics. */
  timeoutMs: number;
}

/**
 * A read a gauge makes at scrape time. Never throws: a failed or timed-out read is counted
 * (dingrelay_metrics_collect_errors_total), logged, and answers undefined, so the scrape goes on without that gauge.
 */
export class ScrapeRead<T> {
  private readonly logger = new Logger('Metrics');
  private last: { at: number; value: Promise<T | undefined> } | undefined;

  constructor(
    private readonly collector: string,
    private readonly read: () => Promise<T>,
    private readonly metrics: DingrelayMetrics,
    private readonly options: ScrapeReadOptions,
  ) {}

  get(): Promise<T | undefined> {
    const now = Date.now();
    if (this.last && now - this.last.at < this.options.cacheMs) return this.last.value;
    const value = this.readBounded();
    this.last = { at: now, value };
    return value;
  }

  private async readBounded(): Promise<T | undefined> {
    try {
      return await within(this.read(), this.options.timeoutMs);
    } catch (error) {
      this.metrics.collectErrors.inc({ collector: this.collector });
      this.logger.warn(`${this.collector} left out of this scrape: ${(error as Error).message}`);
      // Not cached: the next scrape tries again.
      this.last = undefined;
      return undefined;
    }
  }
}
