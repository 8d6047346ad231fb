import { DEV_APP, type DingTalkSimulator, startDingTalkSimulator } from '@dingrelay/dingtalk-sim';
import { type AccessTokenStore, type CachedAccessToken, InMemoryAccessTokenStore, type TokenFetchLease } from './access-token.store.js';
import { DingTalkClient } from './dingtalk.client.js';

const APP = { appKey: DEV_APP.appKey, appSecret: DEV_APP.appSecret };
const SEND = { robotCode: DEV_APP.robotCode, msgKey: 'sampleText', msgParam: { content: 'hi' } };

/**
 * What a Redis-backed store does, in one process: a shared map plus an expiring lease (SET NX PX). Several clients
 * sharing one instance behave like several worker processes sharing Redis.
 */
class LeasingStore implements AccessTokenStore {
  private readonly inner = new InMemoryAccessTokenStore();
  private leaseUntil = 0;
  leasesGranted = 0;
  leasesRefused = 0;

  get(appKey: string): Promise<CachedAccessToken | undefined> {
    return this.inner.get(appKey);
  }
  set(appKey: string, token: CachedAccessToken): Promise<void> {
    return this.inner.set(appKey, token);
  }
  delete(appKey: string, ifAccessToken?: string): Promise<boolean> {
    return this.inner.delete(appKey, ifAccessToken);
  }
  async acquireFetchLease(_appKey: string, ttlMs: number): Promise<TokenFetchLease | undefined> {
    if (Date.now() < this.leaseUntil) {
      this.leasesRefused++;
      return undefined;
    }
    this.leasesGranted++;
    const until = (this.leaseUntil = Date.now() + ttlMs);
    return {
      release: async () => {
        if (this.leaseUntil === until) this.leaseUntil = 0;
      },
    };
  }
  /** A holder that crashed: the lease stays until it expires. */
  holdLeaseFor(ms: number): void {
    this.leaseUntil = Date.now() + ms;
  }
}

let sim: DingTalkSimulator;
const clients: DingTalkClient[] = [];

beforeEach(async () => {
  sim = await startDingTalkSimulator({ apps: [DEV_APP] });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await sim.close();
});

function newClient(tokenStore: AccessTokenStore, extra: { tokenFetchLeaseTtlMs?: number } = {}): DingTalkClient {
  const c = new DingTalkClient({ baseUrl: sim.url, tokenStore, tokenFetchLeasePollMs: 10, ...extra });
  clients.push(c);
  return c;
}

describe('AccessTokenProvider with a shared store', () => {
  it('three "processes" sharing a leasing store fetch the token once', async () => {
    const store = new LeasingStore();
    const processes = [newClient(store), newClient(store), newClient(store)];
    await Promise.all(
      processes.flatMap((c, p) => Array.from({ length: 5 }, (_, i) => c.batchSendOTO(APP, { ...SEND, userIds: [`user-${p * 10 + i}`] }))),
    );
    expect(sim.stats().accessToken.calls).toBe(1);
    expect(store.leasesGranted).toBe(1);
    // The other two processes each waited on the lease instead of fetching.
    expect(store.leasesRefused).toBeGreaterThanOrEqual(2);
    expect(sim.stats().batchSend.succeeded).toBe(15);
  });

  it('a lease left behind by a crashed holder delays fetching only until it expires', async () => {
    const store = new LeasingStore();
    store.holdLeaseFor(300);
    const client = newClient(store, { tokenFetchLeaseTtlMs: 2_000 });
    const started = Date.now();
    await client.batchSendOTO(APP, { ...SEND, userIds: ['user-1'] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(sim.stats().accessToken.calls).toBe(1);
  });

  it('invalidate only drops the token it names', async () => {
    const store = new InMemoryAccessTokenStore();
    const client = newClient(store);
    const token = await client.getAccessToken(APP);

    await client.tokens.invalidate(APP.appKey, 'some-older-token');
    expect(await client.getAccessToken(APP)).toBe(token);
    expect(sim.stats().accessToken.calls).toBe(1);

    await client.tokens.invalidate(APP.appKey, token);
    expect(await store.get(APP.appKey)).toBeUndefined();
    await client.getAccessToken(APP);
    expect(sim.stats().accessToken.calls).toBe(2);
  });

  it('caches expiry and refresh time as epoch ms so processes agree on them', async () => {
    const store = new InMemoryAccessTokenStore();
    const client = newClient(store);
    const before = Date.now();
    const token = await client.getAccessToken(APP);
    const cached = await store.get(APP.appKey);
    expect(cached?.accessToken).toBe(token);
    // DingTalk's 7200 s lifetime with the 10 min margin of its guide.
    expect(cached!.expiresAt - before).toBeGreaterThan(7_199_000);
    expect(cached!.expiresAt - cached!.refreshAt).toBe(600_000);
  });
});
