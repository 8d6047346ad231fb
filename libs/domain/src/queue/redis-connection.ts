import { Redis } from 'ioredis';

/** Injection token: this process's general-purpose Redis connection (pacing, tokens); Bull keeps its own. */
export const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');

export function createRedisConnection(url: string): Redis {
  // Commands wait for a reconnect instead of failing at once: a Redis restart mid-send delays, never loses, work.
  return new Redis(url, { maxRetriesPerRequest: 20, enableReadyCheck: true, lazyConnect: false });
}
