import { type AccessTokenStore, type CachedAccessToken, InMemoryAccessTokenStore } from './access-token.store.js';
import type { AccessTokenResponse, DingTalkAppCredentials } from './dingtalk.types.js';

/** Performs the actual `POST /v1.0/oauth2/accessToken`. */
export type AccessTokenFetcher = (app: DingTalkAppCredentials) => Promise<AccessTokenResponse>;

export interface AccessTokenProviderOptions {
  store?: AccessTokenStore;
  /** Refresh this long before expiry; DingTalk's guide says ~10 minutes (default). */
  refreshMarginMs?: number;
  /**
   * Cap on the margin as a fraction of the token's lifetime (default 0.2), so that a short-lived token (a 5 s test
   * TTL) is still used for most of its life instead of being refreshed on every call.
   */
  maxRefreshMarginFraction?: number;
  /** Lifetime of a cross-process fetch lease; also how long to wait for another holder before fetching anyway. */
  fetchLeaseTtlMs?: number;
  /** How often to look for the token another process is fetching. */
  fetchLeasePollMs?: number;
}

const DEFAULTS = {
  refreshMarginMs: 10 * 60_000,
  maxRefreshMarginFraction: 0.2,
  fetchLeaseTtlMs: 30_000,
  fetchLeasePollMs: 100,
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Access tokens per app: cached until shortly before expiry, fetched at most once at a time per app in this process
 * (and across processes when the store offers leases), and invalidated only if still the token DingTalk rejected.
 */
export class AccessTokenProvider {
  readonly store: AccessTokenStore;
  private readonly opts: Required<Omit<AccessTokenProviderOptions, 'store'>>;
  private readonly inFlight = new Map<string, Promise<string>>();
  /**
   * Bumped on every effective invalidation. A fetch that started before the bump may return the rejected token, so
   * its result is not cached and later callers do not join it.
   */
  private readonly generations = new Map<string, number>();
  private readonly flightGeneration = new Map<string, number>();

  constructor(
    private readonly fetcher: AccessTokenFetcher,
    options: AccessTokenProviderOptions = {},
  ) {
    this.store = options.store ?? new InMemoryAccessTokenStore();
    this.opts = {
      refreshMarginMs: options.refreshMarginMs ?? DEFAULTS.refreshMarginMs,
      maxRefreshMarginFraction: options.maxRefreshMarginFraction ?? DEFAULTS.maxRefreshMarginFraction,
      fetchLeaseTtlMs: options.fetchLeaseTtlMs ?? DEFAULTS.fetchLeaseTtlMs,
      fetchLeasePollMs: options.fetchLeasePollMs ?? DEFAULTS.fetchLeasePollMs,
    };
  }

  /**
   * A token usable now for this app. If a refresh fails while the cached token has not expired yet (it is only inside
   * the refresh margin), the cached token is returned: an unavailable token endpoint must not stop sending early.
   */
  async getAccessToken(app: DingTalkAppCredentials): Promise<string> {
    const cached = await this.store.get(app.appKey);
    if (isFresh(cached)) return cached.accessToken;
    try {
      return await this.joinOrStartFetch(app);
    } catch (e) {
      // Re-read: `cached` was narrowed away by the freshness check above, and the store may have moved on.
      const current = await this.store.get(app.appKey);
      if (isUnexpired(current)) return current.accessToken;
      throw e;
    }
  }

  private joinOrStartFetch(app: DingTalkAppCredentials): Promise<string> {
    const generation = this.generation(app.appKey);
    const existing = this.inFlight.get(app.appKey);
    if (existing && this.flightGeneration.get(app.appKey) === generation) return existing;

    const flight = this.refresh(app, generation);
    this.inFlight.set(app.appKey, flight);
    this.flightGeneration.set(app.appKey, generation);
    const forget = () => {
      if (this.inFlight.get(app.appKey) === flight) {
        this.inFlight.delete(app.appKey);
        this.flightGeneration.delete(app.appKey);
      }
    };
    flight.then(forget, forget);
    return flight;
  }

  /**
   * Drop the cached token after DingTalk rejected it. With `staleToken`, only if the cache still holds that token,
   * so that many callers failing with the same old token cause one re-fetch, not many.
   */
  async invalidate(appKey: string, staleToken?: string): Promise<void> {
    const dropped = await this.store.delete(appKey, staleToken);
    if (dropped || staleToken === undefined) this.generations.set(appKey, this.generation(appKey) + 1);
  }

  private generation(appKey: string): number {
    return this.generations.get(appKey) ?? 0;
  }

  private async refresh(app: DingTalkAppCredentials, generation: number): Promise<string> {
    const acquire = this.store.acquireFetchLease?.bind(this.store);
    if (!acquire) return this.fetchAndStore(app, generation);

    const giveUpAt = Date.now() + this.opts.fetchLeaseTtlMs;
    for (;;) {
      const lease = await acquire(app.appKey, this.opts.fetchLeaseTtlMs);
      if (lease) {
        try {
          // Another process may have stored a token between our cache miss and our lease.
          const cached = await this.store.get(app.appKey);
          if (isFresh(cached)) return cached.accessToken;
          return await this.fetchAndStore(app, generation);
        } finally {
          await lease.release().catch(() => undefined);
        }
      }
      await sleep(this.opts.fetchLeasePollMs);
      const cached = await this.store.get(app.appKey);
      if (isFresh(cached)) return cached.accessToken;
      // The holder is stuck or its fetch failed and the lease has not expired yet: one extra token call is cheaper
      // than a stalled delivery pipeline.
      if (Date.now() >= giveUpAt) return this.fetchAndStore(app, generation);
    }
  }

  private async fetchAndStore(app: DingTalkAppCredentials, generation: number): Promise<string> {
    // Expiry is counted from before the call: DingTalk's clock started no earlier than that.
    const startedAt = Date.now();
    const { accessToken, expireIn } = await this.fetcher(app);
    const lifetimeMs = expireIn * 1000;
    const marginMs = Math.min(this.opts.refreshMarginMs, lifetimeMs * this.opts.maxRefreshMarginFraction);
    const token: CachedAccessToken = {
      accessToken,
      expiresAt: startedAt + lifetimeMs,
      refreshAt: startedAt + lifetimeMs - marginMs,
    };
    if (this.generation(app.appKey) === generation) await this.store.set(app.appKey, token);
    return accessToken;
  }
}

function isFresh(t: CachedAccessToken | undefined): t is CachedAccessToken {
  return t !== undefined && Date.now() < t.refreshAt;
}

function isUnexpired(t: CachedAccessToken | undefined): t is CachedAccessToken {
  return t !== undefined && Date.now() < t.expiresAt;
}
