import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DingTalkClient } from '@dingrelay/dingtalk-client';
import { DEV_APP, type DingTalkSimulator, type SimulatorOptions, startDingTalkSimulator } from '@dingrelay/dingtalk-sim';
import { deleteQueuePrefix, testRedisUrl, uniqueQueuePrefix } from '@dingrelay/testing';
import { Redis } from 'ioredis';
import { RedisAccessTokenStore } from '../../src/tokens/redis-access-token.store.js';
import type { TokenWorkerResult } from './fixtures/token-worker.js';

const APP = { appKey: DEV_APP.appKey, appSecret: DEV_APP.appSecret };
const SEND = { robotCode: DEV_APP.robotCode, msgKey: 'sampleText', msgParam: { content: 'hi' } };
/** The token call takes this long in the simulator, so that every worker misses the cache while one is fetching. */
const SLOW_TOKEN_CALL = { faults: { apis: ['accessToken' as const], latencyMs: 200 } };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Several worker processes, one DingTalk token: each "worker" is a DingTalkClient with its own Redis connection and
 * its own RedisAccessTokenStore over one key prefix, sending through the real simulator.
 */
describe('RedisAccessTokenStore shared by workers', () => {
  const prefixes: string[] = [];
  const connections: Redis[] = [];
  const clients: DingTalkClient[] = [];
  let sim: DingTalkSimulator | undefined;
  let prefix: string;

  async function startSim(options: SimulatorOptions = {}): Promise<DingTalkSimulator> {
    sim = await startDingTalkSimulator({ apps: [DEV_APP], ...options });
    return sim;
  }

  /** One stand-in worker process. */
  function worker(): { client: DingTalkClient; store: RedisAccessTokenStore } {
    const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 2 });
    connections.push(redis);
    const store = new RedisAccessTokenStore(redis, { keyPrefix: prefix });
    const client = new DingTalkClient({ baseUrl: sim!.url, tokenStore: store, tokenFetchLeasePollMs: 10 });
    clients.push(client);
    return { client, store };
  }

  const send = (client: DingTalkClient, user: number) => client.batchSendOTO(APP, { ...SEND, userIds: [`user-${user}`] });

  beforeEach(() => {
    // A prefix per test: a token cached by an earlier test's simulator means nothing to this one's.
    prefix = uniqueQueuePrefix('tokens-shared');
    prefixes.push(prefix);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(connections.splice(0).map((c) => c.quit()));
    await sim?.close();
    sim = undefined;
  });
  afterAll(async () => {
    for (const p of prefixes) await deleteQueuePrefix(p);
  });

  it('three workers sending at once through one app make one token call between them', async () => {
    await startSim(SLOW_TOKEN_CALL);
    const workers = [worker(), worker(), worker()];

    await Promise.all(workers.flatMap(({ client }, w) => Array.from({ length: 5 }, (_, i) => send(client, w * 10 + i))));

    expect(sim!.stats().accessToken.calls).toBe(1);
    expect(sim!.stats().batchSend.succeeded).toBe(15);
    // All three use the one token in Redis, and the fetch lease was given back.
    const tokens = await Promise.all(workers.map(({ client }) => client.getAccessToken(APP)));
    expect(new Set(tokens).size).toBe(1);
    expect(await workers[0]!.store.get(APP.appKey)).toMatchObject({ accessToken: tokens[0] });
    const redis = connections[0]!;
    expect(await redis.exists(workers[0]!.store.leaseKey(APP.appKey))).toBe(0);
    expect(sim!.stats().accessToken.calls).toBe(1);
  });

  it('refreshes before expiry: no InvalidAuthentication, about one token call per refresh window', async () => {
    // 4 s tokens; the client refreshes at 80 % of the lifetime (its margin is capped at 20 %), i.e. every 3.2 s.
    await startSim({ tokenTtlSeconds: 4 });
    const workers = [worker(), worker()];
    const runForMs = 8_500;
    const started = Date.now();
    let sends = 0;
    const failures: unknown[] = [];

    await Promise.all(
      workers.map(async ({ client }, w) => {
        while (Date.now() - started < runForMs) {
          await send(client, w * 1000 + (sends++ % 1000)).catch((e: unknown) => failures.push(e));
          await sleep(50);
        }
      }),
    );

    expect(failures).toEqual([]);
    const stats = sim!.stats();
    expect(stats.errorsByCode['InvalidAuthentication'] ?? 0).toBe(0);
    expect(stats.batchSend.succeeded).toBe(sends);
    expect(sends).toBeGreaterThan(100);
    // Fetched at 0, ~3.2 and ~6.4 s, by one worker each time: each refresh came while the token was still valid, so
    // DingTalk renewed the one token it issued instead of issuing another.
    expect(stats.accessToken.calls).toBeGreaterThanOrEqual(3);
    expect(stats.accessToken.calls).toBeLessThanOrEqual(4);
    expect(stats.accessToken.issued).toBe(1);
    expect(stats.accessToken.renewed).toBe(stats.accessToken.calls - 1);
  });

  it('after DingTalk expires the token, both workers recover with one new fetch; a stale delete keeps the new token', async () => {
    await startSim(SLOW_TOKEN_CALL);
    const a = worker();
    const b = worker();
    await Promise.all([send(a.client, 1), send(b.client, 2)]);
    const oldToken = await a.client.getAccessToken(APP);
    expect(sim!.stats().accessToken.calls).toBe(1);

    expect(sim!.expireAllTokens()).toBe(1);
    // Both still hold the old token in Redis; every send fails once with it, invalidates it and retries.
    await Promise.all([a, b].flatMap(({ client }, w) => Array.from({ length: 4 }, (_, i) => send(client, 10 * w + i))));

    const stats = sim!.stats();
    expect(stats.batchSend.succeeded).toBe(2 + 8);
    expect(stats.errorsByCode['InvalidAuthentication']).toBeGreaterThanOrEqual(2);
    expect(stats.accessToken.calls).toBe(2);
    expect(stats.accessToken.issued).toBe(2);
    const newToken = (await a.store.get(APP.appKey))?.accessToken;
    expect(newToken).toBeDefined();
    expect(newToken).not.toBe(oldToken);
    expect(await b.client.getAccessToken(APP)).toBe(newToken);

    // A worker that only now notices the old token was rejected must not throw the new one away.
    expect(await b.store.delete(APP.appKey, oldToken)).toBe(false);
    await b.client.tokens.invalidate(APP.appKey, oldToken);
    expect(await a.store.get(APP.appKey)).toMatchObject({ accessToken: newToken });
    await Promise.all([send(a.client, 50), send(b.client, 51)]);
    expect(sim!.stats().accessToken.calls).toBe(2);
    expect(sim!.stats().batchSend.succeeded).toBe(12);
  });

  it('three real worker processes sending at once make one token call between them', async () => {
    await startSim(SLOW_TOKEN_CALL);
    const sendsEach = 5;
    const children = ['w1', 'w2', 'w3'].map((id) => startWorkerProcess(id, sim!.url, prefix, sendsEach));
    try {
      await Promise.all(children.map((c) => c.ready));
      for (const c of children) c.process.stdin.write('go\n');
      const results = await Promise.all(children.map((c) => c.result));
      const exitCodes = await Promise.all(children.map((c) => c.exited));

      expect(results.map((r) => [r.worker, r.succeeded, r.failed])).toEqual([
        ['w1', sendsEach, []],
        ['w2', sendsEach, []],
        ['w3', sendsEach, []],
      ]);
      expect(exitCodes).toEqual([0, 0, 0]);
      expect(sim!.stats().accessToken.calls).toBe(1);
      expect(sim!.stats().batchSend.succeeded).toBe(3 * sendsEach);
    } finally {
      for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill();
    }
  });
});

interface WorkerProcess {
  process: ChildProcessWithoutNullStreams;
  /** Resolves when the worker is connected and waits for `go`. */
  ready: Promise<void>;
  result: Promise<TokenWorkerResult>;
  exited: Promise<number | null>;
}

const FIXTURES = new URL('./fixtures/', import.meta.url);

/** fixtures/token-worker.ts in a child `node`, running the TypeScript sources directly (see fixtures/ts-hooks.mjs). */
function startWorkerProcess(id: string, simUrl: string, keyPrefix: string, sends: number): WorkerProcess {
  const child = spawn(
    process.execPath,
    ['--conditions=@dingrelay/source', '--import', new URL('register-ts.mjs', FIXTURES).href, fileURLToPath(new URL('token-worker.ts', FIXTURES))],
    {
      env: {
        ...process.env,
        REDIS_URL: testRedisUrl(),
        KEY_PREFIX: keyPrefix,
        SIM_URL: simUrl,
        APP_KEY: DEV_APP.appKey,
        APP_SECRET: DEV_APP.appSecret,
        ROBOT_CODE: DEV_APP.robotCode,
        SENDS: String(sends),
        WORKER_ID: id,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const failed = () => new Error(`worker ${id} exited before answering; stderr:\n${stderr}`);

  const lines = createInterface({ input: child.stdout });
  let onReady!: () => void;
  let onResult!: (r: TokenWorkerResult) => void;
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    void exited.then(() => reject(failed()));
  });
  const result = new Promise<TokenWorkerResult>((resolve, reject) => {
    onResult = resolve;
    void exited.then(() => reject(failed()));
  });
  // Settled promises ignore later calls, so the exit rejections only matter if the worker died first.
  ready.catch(() => undefined);
  result.catch(() => undefined);
  lines.on('line', (line) => {
    if (line === 'ready') onReady();
    else if (line.startsWith('{')) onResult(JSON.parse(line) as TokenWorkerResult);
  });
  return { process: child, ready, result, exited };
}
