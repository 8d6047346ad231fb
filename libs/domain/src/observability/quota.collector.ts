import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { GetUsageUseCase } from '../usage/get-usage.usecase.js';
import { DingrelayMetrics } from './dingrelay-metrics.js';
import { METRICS_SETTINGS, type MetricsSettings } from './metrics.settings.js';
import { ScrapeRead } from './scrape-read.js';

/**
 * dingrelay_quota_used / dingrelay_quota_limit {configuration}: this month's billable DingTalk calls (the usage meter,
 * as /v1/usage reports them) against each configuration's monthly quota, for every configuration.
 */
@Injectable()
export class QuotaCollector {
  constructor(
    registry: Registry,
    dataSource: DataSource,
    usage: GetUsageUseCase,
    metrics: DingrelayMetrics,
    @Inject(METRICS_SETTINGS) settings: MetricsSettings,
  ) {
    const read = new ScrapeRead(
      'quota',
      async () => {
        const names: { name: string }[] = await dataSource.query(`SELECT name FROM chat_configurations`);
        return (await usage.execute({ include: names.map((n) => n.name) })).configurations;
      },
      metrics,
      { cacheMs: settings.cacheMs, timeoutMs: settings.readTimeoutMs },
    );
    // Both gauges come from one read (cached, so the second collect reuses the first's).
    new Gauge({
      name: 'dingrelay_quota_used',
      help: "This month's billable DingTalk calls per chat configuration (the quota's time zone), cached a few seconds",
      labelNames: ['configuration'],
      registers: [registry],
      async collect() {
        const configurations = await read.get();
        this.reset();
        for (const c of configurations ?? []) this.set({ configuration: c.chatConfiguration }, c.billableCalls);
      },
    });
    new Gauge({
      name: 'dingrelay_quota_limit',
      help: 'Monthly DingTalk call quota per chat configuration (its own, else DINGTALK_MONTHLY_CALL_QUOTA)',
      labelNames: ['configuration'],
      registers: [registry],
      async collect() {
        const configurations = await read.get();
        this.reset();
        for (const c of configurations ?? []) this.set({ configuration: c.chatConfiguration }, c.quota.monthlyCalls);
      },
    });
  }
}
