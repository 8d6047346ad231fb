import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export function testRedisUrl(): string {
  return process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
}

/** Each suite gets its own Bull key prefix, so its workers never take another suite's jobs. */
export function uniqueQueuePrefix(suite: string): string {
  return `dingrelay-test:${suite}:${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under the prefix; run in afterAll so test runs don't pile up in Redis. */
export async function deleteQueuePrefix(prefix: string, url = testRedisUrl()): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
