import { Inject, Injectable } from '@nestjs/common';
import type { HealthCheckAttempt } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { REDIS_CONNECTION } from '../queue/redis-connection.js';
import { TimedHealthCheck } from './timed-health-check.js';

/** The app's Redis connection (pacing, tokens, rate limits) is up and answers PING within the check timeout. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly health: TimedHealthCheck,
    @Inject(REDIS_CONNECTION) private readonly redis: Redis,
  ) {}

  check(): HealthCheckAttempt<'redis'> {
    return this.health.attempt('redis', async () => {
      // While reconnecting, ioredis queues commands rather than failing them: say so at once instead of waiting.
      if (this.redis.status !== 'ready') throw new Error(`connection is ${this.redis.status}`);
      const answer = await this.redis.ping();
      if (answer !== 'PONG') throw new Error(`PING answered ${answer}`);
    });
  }
}
