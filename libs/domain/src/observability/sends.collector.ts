import { Inject, Injectable } from '@nestjs/common';
import { SendStatus } from '@dingrelay/contracts';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { SEND_STATUS_SQL } from '../history/history-sql.js';
import { DingrelayMetrics } from './dingrelay-metrics.js';
import { METRICS_SETTINGS, type MetricsSettings } from './metrics.settings.js';
import { ScrapeRead } from './scrape-read.js';

/** dingrelay_sends{status}: every send by its status (the API's rule), read from Postgres at scrape time. */
@Injectable()
export class SendsCollector {
  constructor(registry: Registry, dataSource: DataSource, metrics: DingrelayMetrics, @Inject(METRICS_SETTINGS) settings: MetricsSettings) {
    const read = new ScrapeRead(
      'sends',
      async () => {
        const rows: { status: SendStatus; n: string }[] = await dataSource.query(
          `SELECT ${SEND_STATUS_SQL} AS status, count(*) AS n FROM sends s GROUP BY 1`,
        );
        return rows;
      },
      metrics,
      { cacheMs: settings.cacheMs, timeoutMs: settings.readTimeoutMs },
    );
    new Gauge({
      name: 'dingrelay_sends',
      help: 'Sends by status (accepted, delivering, completed, cancelled), from Postgres, cached a few seconds',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        const rows = await read.get();
        this.reset();
        if (!rows) return;
        for (const status of Object.values(SendStatus)) this.set({ status }, 0);
        for (const row of rows) this.set({ status: row.status }, Number(row.n));
      },
    });
  }
}
