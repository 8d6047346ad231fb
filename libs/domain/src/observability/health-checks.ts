import { HttpStatus, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { PostgresHealthIndicator } from './postgres.health.js';
import { QueueHealthIndicator } from './queue.health.js';
import { RedisHealthIndicator } from './redis.health.js';
import { ShutdownHealthIndicator } from './shutdown.health.js';

/** A health answer as the controllers send it: terminus's body (`status`, `info`, `error`, `details`) and the code. */
export interface HealthAnswer {
  httpStatus: HttpStatus.OK | HttpStatus.SERVICE_UNAVAILABLE;
  body: HealthCheckResult;
}

/**
 * /health/live and /health/ready for the API and the worker alike. Answers instead of throwing, so each app's
 * exception filter (the API renders errors in its own shape) leaves terminus's body as it is.
 */
@Injectable()
export class HealthChecks {
  constructor(
    private readonly health: HealthCheckService,
    private readonly postgres: PostgresHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly queue: QueueHealthIndicator,
    private readonly shutdown: ShutdownHealthIndicator,
  ) {}

  /** The process serves requests: nothing else is asked, so a dependency's outage never gets it restarted. */
  live(): HealthAnswer {
    return { httpStatus: HttpStatus.OK, body: { status: 'ok', info: {}, error: {}, details: {} } };
  }

  /** Postgres, Redis and the queues answer, and the process is not shutting down; each check bounded in time. */
  async ready(): Promise<HealthAnswer> {
    try {
      const body = await this.health.check([
        () => this.postgres.check(),
        () => this.redis.check(),
        () => this.queue.check(),
        () => this.shutdown.check(),
      ]);
      return { httpStatus: HttpStatus.OK, body };
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        return { httpStatus: HttpStatus.SERVICE_UNAVAILABLE, body: error.getResponse() as HealthCheckResult };
      }
      throw error;
    }
  }
}
