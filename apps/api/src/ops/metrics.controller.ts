import type { Type } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { metricsController } from '@dingrelay/domain';
import { Access, Public } from '../auth/access.decorator.js';

/**
 * GET /metrics for Prometheus. Who may scrape is configuration (METRICS_PUBLIC), so the controller is made for it:
 * an admin or auditor key by default, exempt from the per-key rate; anyone when public.
 */
export function apiMetricsController(isPublic: boolean): Type {
  return metricsController({
    controller: [ApiTags('operations')],
    metrics: [
      isPublic ? Public() : Access('metrics.read', { rateLimited: false }),
      ApiOperation({ operationId: 'getMetrics', summary: 'Prometheus metrics of this API process (text exposition format)' }),
      ApiResponse({
        status: 200,
        description: 'dingrelay_* metrics: sends, recipients, DingTalk calls, retries, pace waits, queues, quota',
        content: { 'text/plain': { schema: { type: 'string' } } },
      }),
    ],
  });
}
