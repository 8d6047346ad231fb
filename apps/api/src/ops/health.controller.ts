import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { healthController } from '@dingrelay/domain';
import { Public } from '../auth/access.decorator.js';
import { schemaRef } from '../openapi/named-schemas.js';

const HEALTH_BODY = schemaRef('HealthStatus');

/** Probes for load balancers and orchestrators: no key (they carry none), never rate limited, never cached. */
export const ApiHealthController = healthController({
  controller: [ApiTags('operations'), Public()],
  live: [
    ApiOperation({ operationId: 'getLiveness', summary: 'Liveness: 200 while the process serves requests (dependencies are not checked)' }),
    ApiResponse({ status: 200, description: 'The process is up', schema: HEALTH_BODY }),
  ],
  ready: [
    ApiOperation({ operationId: 'getReadiness', summary: 'Readiness: 200 when Postgres, Redis and the queues answer and the API is not shutting down' }),
    ApiResponse({ status: 200, description: 'Ready; indicators postgres, redis, queue, shutdown', schema: HEALTH_BODY }),
    ApiResponse({ status: 503, description: 'Not ready: error names each failing indicator and why', schema: HEALTH_BODY }),
  ],
});
