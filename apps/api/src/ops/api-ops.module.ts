import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { ObservabilityModule } from '@dingrelay/domain';
import type { ApiConfig } from '../api.config.js';
import { ApiHealthController } from './health.controller.js';
import { HttpMetricsMiddleware } from './http-metrics.middleware.js';
import { apiMetricsController } from './metrics.controller.js';

/** The API's operations endpoints: health probes and metrics (the queue dashboard is mounted by createApiApp). */
@Module({})
export class ApiOpsModule implements NestModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: ApiOpsModule,
      imports: [
        ObservabilityModule.forRoot({
          health: { checkTimeoutMs: config.HEALTH_CHECK_TIMEOUT_MS },
          metrics: { readTimeoutMs: config.HEALTH_CHECK_TIMEOUT_MS },
          limits: config.dingTalkLimits(),
        }),
      ],
      controllers: [ApiHealthController, apiMetricsController(config.METRICS_PUBLIC)],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
