/** One cached access token. Times are epoch milliseconds so that processes sharing a store agree on them. */
export interface CachedAccessToken {
  accessToken: string;
  /** When DingTalk stops accepting the token. */
  expiresAt: number;
  /** When callers should stop using it and fetch again (expiresAt minus the refresh margin). */
  refreshAt: number;
}

/** A held cross-process lease on fetching one app's token. */
export interface TokenFetchLease {
  release(): Promise<void>;
}

/**
 * Where access tokens live, keyed by appKey. The in-memory default serves one process; a shared implementation
 * (e.g. Redis) lets every worker process use one token and fetch it once.
 *
 * A Redis implementation maps naturally: `get` = GET + JSON.parse; `set` = SET with PX = expiresAt − now;
 * `delete(appKey, stale)` = a Lua compare-and-delete; `acquireFetchLease` = SET lockKey owner NX PX ttl, released
 * by a Lua compare-and-delete on the owner id.
 */
export interface AccessTokenStore {
  get(appKey: string): Promise<CachedAccessToken | undefined>;
  set(appKey: string, token: CachedAccessToken): Promise<void>;
  /**
   * Drop the cached token. With `ifAccessToken`, only when the cache still holds that token: a caller holding a token
   * DingTalk just rejected must not throw away the fresh one another caller fetched meanwhile. Must be atomic.
   * Resolves whether a token was dropped.
   */
  delete(appKey: string, ifAccessToken?: string): Promise<boolean>;
  /**
   * Optional cross-process single-flight. Resolve a lease if this process may fetch the app's token now, or
   * undefined if another holder has it (the provider then polls `get` until the token appears or the wait runs out).
   * The lease must expire by itself after `ttlMs` so that a crashed holder cannot block fetching forever.
   * Without this hook, single-flight is per process only.
   */
  acquireFetchLease?(appKey: string, ttlMs: number): Promise<TokenFetchLease | undefined>;
}

/** Process-local store: a Map. Single-flight within the process is the provider's job, so no lease is needed. */
export class InMemoryAccessTokenStore implements AccessTokenStore {
  private readonly tokens = new Map<string, CachedAccessToken>();

  async get(appKey: string): Promise<CachedAccessToken | undefined> {
    const t = this.tokens.get(appKey);
    return t ? { ...t } : undefined;
  }

  async set(appKey: string, token: CachedAccessToken): Promise<void> {
    this.tokens.set(appKey, { ...token });
  }

  async delete(appKey: string, ifAccessToken?: string): Promise<boolean> {
    if (ifAccessToken !== undefined && this.tokens.get(appKey)?.accessToken !== ifAccessToken) return false;
    return this.tokens.delete(appKey);
  }
}
