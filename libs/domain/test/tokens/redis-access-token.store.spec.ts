import { inspect } from 'node:util';
import { deleteQueuePrefix, testRedisUrl, uniqueQueuePrefix } from '@dingrelay/testing';
import { Redis } from 'ioredis';
import { RedisAccessTokenStore, RedisAccessTokenStoreError } from '../../src/tokens/redis-access-token.store.js';

/** What the store does in Redis, one operation at a time, against a real Redis under a prefix of this suite. */
describe('RedisAccessTokenStore in Redis', () => {
  const prefix = uniqueQueuePrefix('tokens-store');
  const connections: Redis[] = [];
  let redis: Redis;
  let store: RedisAccessTokenStore;
  let n = 0;
  /** A fresh appKey per test, so tests don't share keys. */
  let appKey: string;

  function connect(): Redis {
    const r = new Redis(testRedisUrl(), { maxRetriesPerRequest: 2 });
    connections.push(r);
    return r;
  }

  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  const token = (accessToken: string, lifetimeMs = 60_000) => {
    const now = Date.now();
    return { accessToken, expiresAt: now + lifetimeMs, refreshAt: now + lifetimeMs * 0.8 };
  };
  async function keysUnder(p: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${p}:*`, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys.sort();
  }

  beforeAll(() => {
    redis = connect();
    store = new RedisAccessTokenStore(redis, { keyPrefix: prefix });
  });
  beforeEach(() => {
    appKey = `app-${++n}`;
  });
  afterAll(async () => {
    await Promise.all(connections.map((c) => (c.status === 'end' ? undefined : c.quit())));
    await deleteQueuePrefix(prefix);
  });

  it('stores the token as JSON under <prefix>:dingtalk:access-token:<appKey>, expiring with the token', async () => {
    const t = token('secret-token-1', 60_000);
    await store.set(appKey, t);

    expect(await store.get(appKey)).toEqual(t);
    const key = `${prefix}:dingtalk:access-token:${appKey}`;
    expect(store.tokenKey(appKey)).toBe(key);
    expect(JSON.parse((await redis.get(key))!)).toEqual(t);
    const pttl = await redis.pttl(key);
    expect(pttl).toBeGreaterThan(59_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
    // The key names the app only; the token is in the value.
    expect(await keysUnder(prefix)).toEqual([key]);
  });

  it('forgets the token when it expires, and does not store one that already has', async () => {
    await store.set(appKey, token('short-lived', 300));
    expect(await store.get(appKey)).toMatchObject({ accessToken: 'short-lived' });
    await sleep(450);
    expect(await store.get(appKey)).toBeUndefined();
    expect(await redis.exists(store.tokenKey(appKey))).toBe(0);

    await store.set(appKey, { accessToken: 'dead-on-arrival', expiresAt: Date.now() - 1, refreshAt: Date.now() - 2 });
    expect(await store.get(appKey)).toBeUndefined();
  });

  it('keeps deployments apart: another prefix sees none of these tokens', async () => {
    const otherPrefix = uniqueQueuePrefix('tokens-store-other');
    const other = new RedisAccessTokenStore(connect(), { keyPrefix: otherPrefix });
    try {
      await store.set(appKey, token('mine'));
      expect(await other.get(appKey)).toBeUndefined();
      expect(await other.delete(appKey)).toBe(false);
      expect(await other.delete(appKey, 'mine')).toBe(false);

      await other.set(appKey, token('theirs'));
      expect(await store.get(appKey)).toMatchObject({ accessToken: 'mine' });
      expect(await other.get(appKey)).toMatchObject({ accessToken: 'theirs' });
      expect(await other.acquireFetchLease(appKey, 5_000)).toBeDefined();
      // Our lease is independent of theirs.
      expect(await store.acquireFetchLease(appKey, 5_000)).toBeDefined();
    } finally {
      await deleteQueuePrefix(otherPrefix);
    }
  });

  it('delete with a token drops the cached token only if it is still that token', async () => {
    await store.set(appKey, token('newer'));

    expect(await store.delete(appKey, 'older')).toBe(false);
    expect(await store.get(appKey)).toMatchObject({ accessToken: 'newer' });

    expect(await store.delete(appKey, 'newer')).toBe(true);
    expect(await store.get(appKey)).toBeUndefined();
    expect(await store.delete(appKey, 'newer')).toBe(false);

    await store.set(appKey, token('any'));
    expect(await store.delete(appKey)).toBe(true);
    expect(await store.delete(appKey)).toBe(false);
  });

  it('treats an unreadable value as a miss, without an error that quotes it', async () => {
    await redis.set(store.tokenKey(appKey), 'not json secret-in-garbage', 'PX', 60_000);
    expect(await store.get(appKey)).toBeUndefined();
    // Compare-and-delete does not match garbage (nor fail on it).
    expect(await store.delete(appKey, 'secret-in-garbage')).toBe(false);
    await redis.set(store.tokenKey(appKey), JSON.stringify({ accessToken: 'x', expiresAt: 'soon' }), 'PX', 60_000);
    expect(await store.get(appKey)).toBeUndefined();
    // The provider then fetches and overwrites it.
    await store.set(appKey, token('fresh'));
    expect(await store.get(appKey)).toMatchObject({ accessToken: 'fresh' });
  });

  describe('fetch lease', () => {
    it('is held by one acquirer at a time, under <prefix>:dingtalk:access-token-lease:<appKey>', async () => {
      // Two "processes": separate stores over separate connections.
      const otherStore = new RedisAccessTokenStore(connect(), { keyPrefix: prefix });
      const lease = await store.acquireFetchLease(appKey, 5_000);
      expect(lease).toBeDefined();
      expect(store.leaseKey(appKey)).toBe(`${prefix}:dingtalk:access-token-lease:${appKey}`);
      const pttl = await redis.pttl(store.leaseKey(appKey));
      expect(pttl).toBeGreaterThan(4_000);
      expect(pttl).toBeLessThanOrEqual(5_000);

      expect(await otherStore.acquireFetchLease(appKey, 5_000)).toBeUndefined();
      expect(await store.acquireFetchLease(appKey, 5_000)).toBeUndefined();

      await lease!.release();
      expect(await redis.exists(store.leaseKey(appKey))).toBe(0);
      const next = await otherStore.acquireFetchLease(appKey, 5_000);
      expect(next).toBeDefined();
      await next!.release();
    });

    it('expires by itself when its holder dies without releasing it', async () => {
      const crashedHolder = new RedisAccessTokenStore(connect(), { keyPrefix: prefix });
      const survivor = new RedisAccessTokenStore(connect(), { keyPrefix: prefix });
      expect(await crashedHolder.acquireFetchLease(appKey, 300)).toBeDefined();
      expect(await survivor.acquireFetchLease(appKey, 300)).toBeUndefined();

      await sleep(400);
      const lease = await survivor.acquireFetchLease(appKey, 5_000);
      expect(lease).toBeDefined();
      await lease!.release();
    });

    it("release deletes only the releaser's own lease", async () => {
      const slow = new RedisAccessTokenStore(connect(), { keyPrefix: prefix });
      const fast = new RedisAccessTokenStore(connect(), { keyPrefix: prefix });
      const expired = await slow.acquireFetchLease(appKey, 200);
      await sleep(300);
      const current = await fast.acquireFetchLease(appKey, 5_000);
      expect(current).toBeDefined();

      // The slow holder finishes late and releases: the current holder's lease must survive.
      await expired!.release();
      expect(await redis.exists(slow.leaseKey(appKey))).toBe(1);
      expect(await slow.acquireFetchLease(appKey, 5_000)).toBeUndefined();

      await current!.release();
      expect(await redis.exists(fast.leaseKey(appKey))).toBe(0);
    });
  });

  describe('errors', () => {
    const SECRET = 'f3e1c0ffee5ecret0000000000000001';

    /** Everything a logger could print of an error: message, stack, own properties, cause. */
    function everythingIn(e: unknown): string {
      return `${inspect(e, { depth: 10, showHidden: true })}\n${JSON.stringify(e)}\n${String((e as Error).stack)}`;
    }

    it('never carry the token: Redis failures become RedisAccessTokenStoreError without the command', async () => {
      // A key of the wrong type makes GET inside the compare-and-delete script fail; ioredis' own error would
      // carry the script's arguments, the token among them.
      await redis.hset(store.tokenKey(appKey), 'field', 'value');

      const deleting = await store.delete(appKey, SECRET).catch((e: unknown) => e);
      expect(deleting).toBeInstanceOf(RedisAccessTokenStoreError);
      expect((deleting as Error).message).toMatch(/delete for app app-\d+ failed: WRONGTYPE/);
      expect((deleting as Error).cause).toBeUndefined();
      expect(everythingIn(deleting)).not.toContain(SECRET);

      const getting = await store.get(appKey).catch((e: unknown) => e);
      expect(getting).toBeInstanceOf(RedisAccessTokenStoreError);
      expect((getting as Error).message).toContain(appKey);
    });

    it('never carry the token when the connection is gone', async () => {
      const broken = connect();
      await broken.quit();
      const brokenStore = new RedisAccessTokenStore(broken, { keyPrefix: prefix });

      const setting = await brokenStore.set(appKey, token(SECRET)).catch((e: unknown) => e);
      expect(setting).toBeInstanceOf(RedisAccessTokenStoreError);
      expect((setting as Error).message).toMatch(/set for app app-\d+ failed: Connection is closed/);
      expect(everythingIn(setting)).not.toContain(SECRET);

      const deleting = await brokenStore.delete(appKey, SECRET).catch((e: unknown) => e);
      expect(deleting).toBeInstanceOf(RedisAccessTokenStoreError);
      expect(everythingIn(deleting)).not.toContain(SECRET);
    });

    it('needs a key prefix', () => {
      expect(() => new RedisAccessTokenStore(redis, { keyPrefix: '' })).toThrow('non-empty keyPrefix');
    });
  });
});
