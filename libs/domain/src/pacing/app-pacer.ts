import type { Redis } from 'ioredis';

/**
 * Reserves the next call slot of one app on one DingTalk API, spacing calls `1000 / callsPerSecond` ms apart for
 * every worker process at once (state in Redis, time from Redis's clock so hosts' clocks don't matter).
 *
 * A caller whose slot is near sleeps until it and calls. A caller whose slot is far away (a big backlog) gets
 * `held: true`: the slot stays reserved under its holder id, the caller hands its job back to the queue for later,
 * and on its return the same holder id finds the slot waiting instead of queueing again at the back. A throttled
 * app's jobs therefore occupy workers only for the few milliseconds of a reservation, not while they wait.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local held = redis.call('GET', KEYS[2])
if held then
  redis.call('DEL', KEYS[2])
  local wait = tonumber(held) - now
  -- Back in time (or late by less than one interval): the slot is still this holder's to use.
  if wait > -interval then
    if wait < 0 then wait = 0 end
    return {wait, 0}
  end
  -- Back late: firing now could bunch with other late holders and the calls of slots reserved since, so the
  -- missed slot stays unused (slower, never faster) and the holder queues again like anyone else.
end
local penalty = tonumber(redis.call('GET', KEYS[3]) or '0')
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
if tat < penalty then tat = penalty end
redis.call('SET', KEYS[1], tat + interval, 'PX', math.floor((tat + interval - now) / 1000) + 1000)
local wait = tat - now
if wait > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], tat, 'PX', math.floor(wait / 1000) + tonumber(ARGV[3]))
  return {wait, 1}
end
return {wait, 0}
`;

/** Holds the app's next slot back until now + `ms`: every worker waits after DingTalk throttled the app. */
const PENALIZE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local untilUs = now + tonumber(ARGV[1]) * 1000
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilUs > current then
  redis.call('SET', KEYS[1], untilUs, 'PX', tonumber(ARGV[1]) + 1000)
end
return untilUs
`;

export interface PaceReservation {
  /** Milliseconds until the reserved slot. */
  waitMs: number;
  /** True when the slot is kept for the holder to come back to (the wait was longer than `inlineWaitMs`). */
  held: boolean;
}

export interface AppPacerOptions {
  /** Key prefix shared by every process of one deployment. */
  keyPrefix: string;
  /** Waits up to this long are slept through in place; longer ones are held and the job handed back. */
  inlineWaitMs: number;
  /** How long a held slot survives past its time if its holder never returns (a crash), before it is given up. */
  holdGraceMs: number;
  /** Told of each reservation's wait (metrics); runs synchronously after the reservation, must not throw. */
  onReservation?: (appKey: string, api: string, reservation: PaceReservation) => void;
}

type Evaluable = Redis & {
  reserveSlot(k1: string, k2: string, k3: string, intervalUs: number, inlineUs: number, graceMs: number): Promise<[number, number]>;
  penalizeApp(k1: string, ms: number): Promise<number>;
};

export class AppPacer {
  private readonly redis: Evaluable;

  constructor(
    redis: Redis,
    private readonly options: AppPacerOptions,
  ) {
    redis.defineCommand('reserveSlot', { numberOfKeys: 3, lua: RESERVE });
    redis.defineCommand('penalizeApp', { numberOfKeys: 1, lua: PENALIZE });
    this.redis = redis as Evaluable;
  }

  /**
   * Reserves `holderId`'s slot for a call by `appKey` to `api` at `callsPerSecond`; returns how long to wait for it.
   * Call again with the same holder after a held reservation to claim the kept slot.
   */
  async reserve(appKey: string, api: string, callsPerSecond: number, holderId: string): Promise<PaceReservation> {
    const intervalUs = Math.ceil(1_000_000 / callsPerSecond);
    const [waitUs, held] = await this.redis.reserveSlot(
      this.key('next', appKey, api),
      this.key('held', appKey, api, holderId),
      this.key('penalty', appKey, api),
      intervalUs,
      this.options.inlineWaitMs * 1000,
      this.options.holdGraceMs,
    );
    const reservation = { waitMs: Math.ceil(waitUs / 1000), held: held === 1 };
    this.options.onReservation?.(appKey, api, reservation);
    return reservation;
  }

  /** After DingTalk throttled the app: no worker starts a call for it on this API for `ms`. */
  async penalize(appKey: string, api: string, ms: number): Promise<void> {
    await this.redis.penalizeApp(this.key('penalty', appKey, api), Math.max(0, Math.ceil(ms)));
  }

  private key(kind: string, appKey: string, api: string, holder?: string): string {
    return [this.options.keyPrefix, 'pace', kind, api, appKey, holder].filter(Boolean).join(':');
  }
}
