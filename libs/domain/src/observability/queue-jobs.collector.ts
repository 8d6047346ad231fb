import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { DingrelayMetrics } from './dingrelay-metrics.js';
import { METRICS_SETTINGS, type MetricsSettings } from './metrics.settings.js';
import { ObservedQueues } from './observed-queues.js';
import { ScrapeRead } from './scrape-read.js';

/** Completed jobs are removed at once (removeOnComplete), so their count says nothing. */
const STATES = ['waiting', 'active', 'delayed', 'failed', 'paused'] as const;

/** dingrelay_queue_jobs{queue, state}: Bull's job counts of every queue, read from Redis at each scrape. */
@Injectable()
export class QueueJobsCollector {
  constructor(registry: Registry, queues: ObservedQueues, metrics: DingrelayMetrics, @Inject(METRICS_SETTINGS) settings: MetricsSettings) {
    const read = new ScrapeRead(
      'queue_jobs',
      () => Promise.all([...queues.all()].map(async ([name, queue]) => ({ name, counts: await queue.getJobCounts() }))),
      metrics,
      // Redis answers in microseconds: read it fresh every scrape.
      { cacheMs: 0, timeoutMs: settings.readTimeoutMs },
    );
    new Gauge({
      name: 'dingrelay_queue_jobs',
      help: 'Jobs per Bull queue and state (waiting, active, delayed, failed, paused), from Redis at scrape time',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        const all = await read.get();
        this.reset();
        for (const { name, counts } of all ?? []) {
          // Bull counts `paused` too, though its typings leave it out.
          const byState = counts as unknown as Partial<Record<(typeof STATES)[number], number>>;
          for (const state of STATES) this.set({ queue: name, state }, byState[state] ?? 0);
        }
      },
    });
  }
}
