import { deleteQueuePrefix, testRedisUrl, uniqueQueuePrefix } from '@dingrelay/testing';
import { Redis } from 'ioredis';
import { RequestRateLimiter } from '../src/index.js';

describe('per-caller request rate limit (GCRA in Redis)', () => {
  const prefix = uniqueQueuePrefix('rate-limiter');
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    await redis?.quit();
    await deleteQueuePrefix(prefix);
  });

  it('admits a burst, refuses the next with the wait until a slot frees, and keeps callers apart', async () => {
    // 1 per 10 s: nothing frees up while the test runs, so the counts are exact.
    const limiter = new RequestRateLimiter(redis, { keyPrefix: prefix, perSecond: 0.1, burst: 4 });
    const decisions = [];
    for (let i = 0; i < 6; i++) decisions.push(await limiter.take('key-a'));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, false, false]);
    expect(decisions[4]!.retryAfterMs).toBeGreaterThan(9_000);
    expect(decisions[4]!.retryAfterMs).toBeLessThanOrEqual(10_000);
    // Refused requests cost nothing: the wait does not grow with them.
    expect(decisions[5]!.retryAfterMs).toBeLessThanOrEqual(decisions[4]!.retryAfterMs);

    expect((await limiter.take('key-b')).allowed).toBe(true);
  });

  it('shares one budget between limiters on the same prefix, as API processes do', async () => {
    const options = { keyPrefix: prefix, perSecond: 0.1, burst: 2 };
    const otherConnection = new Redis(testRedisUrl());
    try {
      const one = new RequestRateLimiter(redis, options);
      const other = new RequestRateLimiter(otherConnection, options);
      expect((await one.take('shared')).allowed).toBe(true);
      expect((await other.take('shared')).allowed).toBe(true);
      expect((await one.take('shared')).allowed).toBe(false);
      expect((await other.take('shared')).allowed).toBe(false);
    } finally {
      await otherConnection.quit();
    }
  });
});
