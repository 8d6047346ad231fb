import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';

/** Injection token: this process's general-purpose Redis connection (pacing, tokens); Bull keeps its own. */
export const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');

export function createRedisConnection(url: string): Redis {
  // Commands wait for a reconnect instead of failing at once: a Redis restart mid-send delays, never loses, work.
  const redis = new Redis(url, { maxRetriesPerRequest: 20, enableReadyCheck: true, lazyConnect: false });
  reportConnectionState(redis, new Logger('Redis'));
  return redis;
}

/**
 * Logs a connection's outage once when it begins and once when it ends. Without an `error` listener ioredis printed
 * "[ioredis] Unhandled error event" in plain text on stderr for every reconnect attempt, outside the JSON log;
 * each attempt's error now goes to `debug`.
 */
export function reportConnectionState(redis: Redis, logger: Pick<Logger, 'warn' | 'log' | 'debug'>): void {
  let down: { since: number } | undefined;
  redis.on('error', (error: Error) => {
    if (down) {
      logger.debug(`still unreachable: ${error.message}`);
      return;
    }
    down = { since: Date.now() };
    logger.warn(`unreachable: ${error.message}; reconnecting (commands wait for it)`);
  });
  redis.on('ready', () => {
    if (!down) return;
    logger.log(`reachable again after ${Date.now() - down.since} ms`);
    down = undefined;
  });
}
