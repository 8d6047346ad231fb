import { type DynamicModule, Module } from '@nestjs/common';
import { healthController, metricsController, ObservabilityModule } from '@dingrelay/domain';
import type { WorkerConfig } from '../worker.config.js';

/**
 * What the worker's ops port serves (WORKER_HTTP_PORT): health probes and metrics, no public API. Unauthenticated:
 * the port is bound to WORKER_HTTP_HOST and never published.
 */
@Module({})
export class WorkerOpsModule {
  static forRoot(config: WorkerConfig): DynamicModule {
    return {
      module: WorkerOpsModule,
      imports: [
        ObservabilityModule.forRoot({
          health: { checkTimeoutMs: config.HEALTH_CHECK_TIMEOUT_MS },
          metrics: { readTimeoutMs: config.HEALTH_CHECK_TIMEOUT_MS },
          limits: config.dingTalkLimits(),
        }),
      ],
      controllers: [healthController(), metricsController()],
    };
  }
}
