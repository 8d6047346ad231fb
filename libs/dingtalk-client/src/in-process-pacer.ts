import { DingTalkApi } from './dingtalk-api.error.js';

/**
 * Decides when a call may go out. The client awaits `acquire` before every HTTP attempt of a paced API; an
 * implementation shared across processes (Redis, a database) spaces a fleet, InProcessPacer one process.
 */
export interface CallPacer {
  /** Resolves when this app may make one call to `api`; rejects with `signal.reason` if the signal aborts first. */
  acquire(appKey: string, api: DingTalkApi, signal?: AbortSignal): Promise<void>;
}

/** DingTalk's per-app, per-API limit on the standard edition (spec §8.1; 60 with the QPS add-on). */
export const DINGTALK_CALLS_PER_SECOND_LIMIT = 20;

/**
 * The pace InProcessPacer keeps by default: 90% of the limit. Calls leave evenly spaced but reach DingTalk with
 * network jitter, and at exactly 20/s two of them can land in the same 1 s window as the 20 before; the per-minute
 * limit that also exists is unpublished (§8.1), so the default stays below the per-second one rather than at it.
 */
export const DEFAULT_PACED_CALLS_PER_SECOND = 18;

export interface InProcessPacerOptions {
  /**
   * Calls per second per app and API: one number for every API, or per API (APIs left out get
   * DEFAULT_PACED_CALLS_PER_SECOND). Default DEFAULT_PACED_CALLS_PER_SECOND for all.
   */
  callsPerSecond?: number | Partial<Record<DingTalkApi, number>>;
  /** Clock in ms (default `performance.now`); only differences are used. */
  now?: () => number;
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** The calls of one app to one API: when the next may leave, and who waits for it in arrival order. */
interface Lane {
  intervalMs: number;
  nextAt: number;
  waiters: Waiter[];
  timer?: ReturnType<typeof setTimeout>;
}

const API_NAMES: ReadonlySet<string> = new Set(Object.values(DingTalkApi));
/** Past this many lanes, idle ones are dropped (a process serving many apps must not grow forever). */
const PRUNE_ABOVE = 1_000;

/**
 * Spaces each app's calls to each DingTalk API `1000 / callsPerSecond` ms apart within this process (no bursts).
 * Waiters are served first come, first served by one timer per busy lane; an aborted waiter leaves the queue
 * without using a slot. For several processes sending for the same app, use a shared CallPacer instead: each
 * InProcessPacer only knows its own calls.
 */
export class InProcessPacer implements CallPacer {
  private readonly lanes = new Map<string, Lane>();
  private readonly intervals: ReadonlyMap<string, number>;
  private readonly defaultIntervalMs: number;
  private readonly now: () => number;

  constructor(options: InProcessPacerOptions = {}) {
    const rates = options.callsPerSecond ?? DEFAULT_PACED_CALLS_PER_SECOND;
    const intervals = new Map<string, number>();
    if (typeof rates === 'number') {
      this.defaultIntervalMs = intervalOf('callsPerSecond', rates);
    } else {
      this.defaultIntervalMs = intervalOf('default', DEFAULT_PACED_CALLS_PER_SECOND);
      for (const [api, rate] of Object.entries(rates)) {
        if (!API_NAMES.has(api)) throw new RangeError(`callsPerSecond: unknown DingTalk API ${JSON.stringify(api)}`);
        if (rate !== undefined) intervals.set(api, intervalOf(`callsPerSecond[${api}]`, rate));
      }
    }
    this.intervals = intervals;
    this.now = options.now ?? (() => performance.now());
  }

  acquire(appKey: string, api: DingTalkApi, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const lane = this.lane(appKey, api);
    const now = this.now();
    if (lane.waiters.length === 0 && now >= lane.nextAt) {
      lane.nextAt = now + lane.intervalMs;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = lane.waiters.indexOf(waiter);
          if (i >= 0) lane.waiters.splice(i, 1);
          if (lane.waiters.length === 0 && lane.timer) {
            clearTimeout(lane.timer);
            lane.timer = undefined;
          }
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      lane.waiters.push(waiter);
      this.schedule(lane);
    });
  }

  private schedule(lane: Lane): void {
    if (lane.timer || lane.waiters.length === 0) return;
    lane.timer = setTimeout(() => this.release(lane), Math.max(0, lane.nextAt - this.now()));
  }

  private release(lane: Lane): void {
    lane.timer = undefined;
    const now = this.now();
    if (now < lane.nextAt) {
      // A timer may fire a little early on some platforms; never let a call out before its slot.
      this.schedule(lane);
      return;
    }
    const waiter = lane.waiters.shift();
    if (!waiter) return;
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
    // Measured from the actual release, not the planned slot: a late timer makes the pace slower, never faster.
    lane.nextAt = now + lane.intervalMs;
    waiter.resolve();
    this.schedule(lane);
  }

  private lane(appKey: string, api: DingTalkApi): Lane {
    const key = `${api}\u0000${appKey}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      if (this.lanes.size >= PRUNE_ABOVE) this.pruneIdle();
      lane = { intervalMs: this.intervals.get(api) ?? this.defaultIntervalMs, nextAt: -Infinity, waiters: [] };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  private pruneIdle(): void {
    const now = this.now();
    for (const [key, lane] of this.lanes) {
      if (lane.waiters.length === 0 && now >= lane.nextAt) this.lanes.delete(key);
    }
  }
}

function intervalOf(name: string, callsPerSecond: number): number {
  if (!Number.isFinite(callsPerSecond) || callsPerSecond <= 0) {
    throw new RangeError(`${name} must be a positive number of calls per second, got ${String(callsPerSecond)}`);
  }
  return 1000 / callsPerSecond;
}
