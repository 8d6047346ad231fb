import { Injectable } from '@nestjs/common';
import { Registry } from 'prom-client';
import { processMetricsRegistry } from './metrics.registry.js';

export interface MetricsExposition {
  contentType: string;
  body: string;
}

/** What /metrics answers on the API and the worker: this app's metrics and its process's, in Prometheus's text format. */
@Injectable()
export class MetricsScrape {
  constructor(private readonly registry: Registry) {}

  async render(): Promise<MetricsExposition> {
    const [app, process] = await Promise.all([this.registry.metrics(), processMetricsRegistry().metrics()]);
    return { contentType: this.registry.contentType, body: `${app}\n${process}` };
  }
}
