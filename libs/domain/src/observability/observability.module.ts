import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Registry } from 'prom-client';
import { DEFAULT_DINGTALK_LIMITS, DINGTALK_LIMITS_SETTINGS, type DingTalkLimits } from '../usage/dingtalk-limits.js';
import { GetUsageUseCase } from '../usage/get-usage.usecase.js';
import { DeliveryOutcomeMetrics } from './delivery-outcome.metrics.js';
import { DingrelayMetrics } from './dingrelay-metrics.js';
import { HealthChecks } from './health-checks.js';
import { DEFAULT_HEALTH_SETTINGS, HEALTH_SETTINGS, type HealthSettings } from './health.settings.js';
import { MetricsScrape } from './metrics-scrape.js';
import { createMetricsRegistry } from './metrics.registry.js';
import { DEFAULT_METRICS_SETTINGS, METRICS_SETTINGS, type MetricsSettings } from './metrics.settings.js';
import { ObservedQueues } from './observed-queues.js';
import { PostgresHealthIndicator } from './postgres.health.js';
import { QueueJobsCollector } from './queue-jobs.collector.js';
import { QueueHealthIndicator } from './queue.health.js';
import { QuotaCollector } from './quota.collector.js';
import { RedisHealthIndicator } from './redis.health.js';
import { SendsCollector } from './sends.collector.js';
import { ShutdownHealthIndicator } from './shutdown.health.js';
import { TimedHealthCheck } from './timed-health-check.js';

export interface ObservabilityOptions {
  health?: Partial<HealthSettings>;
  metrics?: Partial<MetricsSettings>;
  /** The deployment's DingTalk limits: the quota gauge's default monthly quota. */
  limits?: Partial<DingTalkLimits>;
}

/**
 * Health checks and Prometheus metrics for an app's ops endpoints (each app registers healthController and
 * metricsController). Global, so the code that records metrics (the DingTalk client's observer, the pacer) finds
 * DingrelayMetrics wherever it runs; without this module they record nothing. Expects DatabaseModule and QueueModule, which also provides the process's
 * one ShutdownState (the drain sets it, the readiness check reads it).
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions = {}): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      // A failed check logs one line naming the indicators that failed (terminus's json style).
      imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
      providers: [
        { provide: HEALTH_SETTINGS, useValue: { ...DEFAULT_HEALTH_SETTINGS, ...options.health } },
        ObservedQueues,
        TimedHealthCheck,
        PostgresHealthIndicator,
        RedisHealthIndicator,
        QueueHealthIndicator,
        ShutdownHealthIndicator,
        HealthChecks,
        { provide: METRICS_SETTINGS, useValue: { ...DEFAULT_METRICS_SETTINGS, ...options.metrics } },
        { provide: Registry, useFactory: createMetricsRegistry },
        DingrelayMetrics,
        MetricsScrape,
        { provide: DINGTALK_LIMITS_SETTINGS, useValue: { ...DEFAULT_DINGTALK_LIMITS, ...options.limits } },
        GetUsageUseCase,
        SendsCollector,
        QueueJobsCollector,
        QuotaCollector,
        DeliveryOutcomeMetrics,
      ],
      exports: [ObservedQueues, HealthChecks, DingrelayMetrics, MetricsScrape, Registry],
    };
  }
}
