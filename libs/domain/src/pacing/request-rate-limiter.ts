import type { Redis } from 'ioredis';

/**
 * Admits or refuses one request of a caller under `perSecond` with bursts of up to `burst`: GCRA, like AppPacer,
 * with its state (the theoretical arrival time) in Redis and time from Redis's clock, so every API process shares
 * one budget per caller. Unlike the pacer it never reserves a later slot: a request over the limit is refused with
 * how long until one would be admitted, and costs the caller nothing.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = interval * tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local nextTat = tat + interval
if nextTat - now > tolerance then
  return {0, nextTat - now - tolerance}
end
redis.call('SET', KEYS[1], nextTat, 'PX', math.floor((nextTat - now) / 1000) + 1000)
return {1, 0}
`;

export interface RateDecision {
  allowed: boolean;
  /** When refused: milliseconds until a request would be admitted. */
  retryAfterMs: number;
}

export interface RequestRateLimiterOptions {
  keyPrefix: string;
  perSecond: number;
  burst: number;
}

type Evaluable = Redis & { takeRequestSlot(key: string, intervalUs: number, burst: number): Promise<[number, number]> };

export class RequestRateLimiter {
  private readonly redis: Evaluable;

  constructor(
    redis: Redis,
    private readonly options: RequestRateLimiterOptions,
  ) {
    redis.defineCommand('takeRequestSlot', { numberOfKeys: 1, lua: TAKE });
    this.redis = redis as Evaluable;
  }

  async take(caller: string): Promise<RateDecision> {
    const intervalUs = Math.ceil(1_000_000 / this.options.perSecond);
    const [allowed, waitUs] = await this.redis.takeRequestSlot(
      `${this.options.keyPrefix}:ratelimit:${caller}`,
      intervalUs,
      this.options.burst,
    );
    return { allowed: allowed === 1, retryAfterMs: Math.ceil(waitUs / 1000) };
  }
}
