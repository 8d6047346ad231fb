import { randomBytes } from 'node:crypto';
import type { AccessTokenStore, CachedAccessToken, TokenFetchLease } from '@dingrelay/dingtalk-client';
import type { Redis } from 'ioredis';
import { registerSecret } from '../logging/redact-secrets.js';

export interface RedisAccessTokenStoreOptions {
  /**
   * Namespace of every key this store writes (`<keyPrefix>:dingtalk:…`). Deployments and test suites sharing one
   * Redis use different prefixes and never see each other's tokens; the queue prefix (QUEUE_PREFIX) is a good choice.
   */
  keyPrefix: string;
}

/** Deletes KEYS[1] only if it holds a JSON token whose accessToken is ARGV[1]. Returns 1 when deleted. */
const DELETE_TOKEN_IF_CURRENT = `
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local ok, t = pcall(cjson.decode, v)
if ok and type(t) == 'table' and t['accessToken'] == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Deletes KEYS[1] only if its value is ARGV[1] (the lease owner's id). Returns 1 when deleted. */
const DELETE_LEASE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * A Redis operation of the token store failed. The message names the operation and the appKey only: ioredis errors
 * carry the command's arguments (`error.command.args`), which here include access tokens, so they are never passed on
 * as `cause`.
 */
export class RedisAccessTokenStoreError extends Error {
  constructor(
    readonly operation: string,
    readonly appKey: string,
    reason: string,
  ) {
    super(`Redis access-token store: ${operation} for app ${appKey} failed: ${reason}`);
    this.name = 'RedisAccessTokenStoreError';
  }
}

/**
 * DingTalk access tokens in Redis, shared by every worker process: one JSON value per app, expiring with the token,
 * and a `SET NX PX` lease so that one process at a time fetches a new token (see AccessTokenStore).
 *
 * Keys: `<keyPrefix>:dingtalk:access-token:<appKey>` (JSON CachedAccessToken, TTL until expiresAt) and
 * `<keyPrefix>:dingtalk:access-token-lease:<appKey>` (random owner id, TTL = lease TTL).
 *
 * Access tokens are secrets: they are never logged and never appear in errors thrown from here. The Redis client is
 * the caller's; this store neither connects nor closes it.
 */
export class RedisAccessTokenStore implements AccessTokenStore {
  private readonly keyPrefix: string;

  constructor(
    private readonly redis: Redis,
    options: RedisAccessTokenStoreOptions,
  ) {
    if (!options.keyPrefix) throw new Error('RedisAccessTokenStore needs a non-empty keyPrefix');
    this.keyPrefix = options.keyPrefix;
  }

  /** The Redis key of an app's cached token. */
  tokenKey(appKey: string): string {
    return `${this.keyPrefix}:dingtalk:access-token:${appKey}`;
  }

  /** The Redis key of an app's fetch lease. */
  leaseKey(appKey: string): string {
    return `${this.keyPrefix}:dingtalk:access-token-lease:${appKey}`;
  }

  async get(appKey: string): Promise<CachedAccessToken | undefined> {
    const raw = await this.run('get', appKey, [], () => this.redis.get(this.tokenKey(appKey)));
    // Anything unreadable counts as a miss: the provider fetches and overwrites it. (Not JSON.parse's error, which
    // quotes the value.)
    const token = raw === null ? undefined : parseToken(raw);
    // Tokens are secrets: whichever process holds one keeps it out of its logs.
    registerSecret(token?.accessToken);
    return token;
  }

  async set(appKey: string, token: CachedAccessToken): Promise<void> {
    registerSecret(token.accessToken);
    const ttlMs = Math.ceil(token.expiresAt - Date.now());
    // Already expired (or nonsense): nothing worth caching, and PX must be a positive integer.
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) return;
    const value = JSON.stringify({ accessToken: token.accessToken, expiresAt: token.expiresAt, refreshAt: token.refreshAt });
    await this.run('set', appKey, [token.accessToken], () => this.redis.set(this.tokenKey(appKey), value, 'PX', ttlMs));
  }

  async delete(appKey: string, ifAccessToken?: string): Promise<boolean> {
    const key = this.tokenKey(appKey);
    if (ifAccessToken === undefined) return (await this.run('delete', appKey, [], () => this.redis.del(key))) > 0;
    const deleted = await this.run('delete', appKey, [ifAccessToken], () => this.redis.eval(DELETE_TOKEN_IF_CURRENT, 1, key, ifAccessToken));
    return deleted === 1;
  }

  async acquireFetchLease(appKey: string, ttlMs: number): Promise<TokenFetchLease | undefined> {
    const key = this.leaseKey(appKey);
    const owner = randomBytes(16).toString('hex');
    const px = Math.max(1, Math.ceil(ttlMs));
    const acquired = await this.run('acquireFetchLease', appKey, [], () => this.redis.set(key, owner, 'PX', px, 'NX'));
    if (acquired !== 'OK') return undefined;
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        await this.run('releaseFetchLease', appKey, [], () => this.redis.eval(DELETE_LEASE_IF_OWNER, 1, key, owner));
      },
    };
  }

  /** Runs one Redis call; a failure becomes a RedisAccessTokenStoreError without the command, its arguments or cause. */
  private async run<T>(operation: string, appKey: string, secrets: readonly string[], call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      let reason = e instanceof Error ? e.message : String(e);
      // Redis' own messages do not quote arguments today; make sure it stays that way.
      for (const s of secrets) if (s) reason = reason.split(s).join('[redacted]');
      throw new RedisAccessTokenStoreError(operation, appKey, reason);
    }
  }
}

function parseToken(raw: string): CachedAccessToken | undefined {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const { accessToken, expiresAt, refreshAt } = v as Record<string, unknown>;
  if (typeof accessToken !== 'string' || accessToken === '') return undefined;
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return undefined;
  if (typeof refreshAt !== 'number' || !Number.isFinite(refreshAt)) return undefined;
  return { accessToken, expiresAt, refreshAt };
}
