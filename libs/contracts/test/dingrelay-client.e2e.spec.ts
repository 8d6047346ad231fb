import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DingTalkSimulator, startDingTalkSimulator } from '@dingrelay/dingtalk-sim';
import {
  type ApiProcess,
  buildApiApp,
  buildWorkerApp,
  deleteQueuePrefix,
  issueApiKey,
  type ManagedProcess,
  prepareTestDatabase,
  stackEnv,
  startApiProcess,
  startWorkerProcess,
  uniqueQueuePrefix,
} from '@dingrelay/testing';
import {
  DingrelayAbortError,
  DingrelayApiError,
  DingrelayAuthenticationError,
  DingrelayClient,
  DingrelayConflictError,
  DingrelayNotFoundError,
  DingrelayPermissionError,
  DingrelayValidationError,
  DingrelayWaitTimeoutError,
  type SendStatusResponse,
} from '../src/client.js';

const APP = { appKey: 'client-e2e-app', appSecret: 'client-e2e-secret', robotCode: 'client-e2e-robot' };
const TEST_TIMEOUT_MS = 90_000;

/**
 * DingrelayClient against the real stack: the built API and worker as their own processes on real Postgres and Redis,
 * DingTalk simulated in this process so its ledger says what each user received.
 */
describe('DingrelayClient against a running dingrelay', () => {
  let sim: DingTalkSimulator;
  let api: ApiProcess;
  let worker: ManagedProcess;
  let client: DingrelayClient;
  let apiKey: string;
  const prefix = uniqueQueuePrefix('client-e2e');
  const run = prefix.slice(-8);
  const configuration = `client-e2e-${run}`;
  const text = (content: string) => ({ msgKey: 'sampleText' as const, msgParam: { content } });

  beforeAll(async () => {
    const databaseUrl = await prepareTestDatabase();
    await buildApiApp();
    await buildWorkerApp();
    sim = await startDingTalkSimulator({ apps: [APP], users: { pattern: '^staff-\\d+$' } });
    const env = { ...stackEnv({ databaseUrl, queuePrefix: prefix, dingTalkUrl: sim.url, app: APP, configuration }), DATABASE_POOL_SIZE: '4' };
    // The worker first: it creates the default configuration from the DINGTALK_* variables at its first start.
    worker = await startWorkerProcess({ name: 'client-e2e worker', env: { ...env, WORKER_CONCURRENCY: '4', RETRY_BASE_DELAY_MS: '200' } });
    api = await startApiProcess({ name: 'client-e2e api', env });
    apiKey = await issueApiKey({ databaseUrl, role: 'admin', name: `client-e2e-admin-${run}` });
    client = new DingrelayClient({ baseUrl: api.url, apiKey });
  }, 240_000);

  afterAll(async () => {
    await api?.stop();
    await worker?.stop();
    await sim?.close();
    await deleteQueuePrefix(prefix);
  });

  it('creates a send and waits for it, told each status read, and DingTalk got the message once per user', async () => {
    const users = ['staff-11', 'staff-12'];
    const created = await client.createSend({ userIds: users, ...text('wait for me') });
    expect(created).toMatchObject({ status: 'accepted', replayed: false, idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    const seen: SendStatusResponse[] = [];
    const done = await client.waitForSend(created.id, { pollIntervalMs: 100, onProgress: (send) => seen.push(send) });
    expect(done).toMatchObject({ id: created.id, status: 'completed', idempotencyKey: created.idempotencyKey });
    expect(done.recipients).toMatchObject({ total: 2, delivered: 2, pending: 0 });
    expect(done.progress.estimatedCompletionAt).toBeNull();
    expect(seen.at(-1)).toEqual(done);
    for (const user of users) expect(sim.ledger.countFor(user)).toBe(1);
  }, TEST_TIMEOUT_MS);

  it('retries a send whose answer was lost on the way back with the same Idempotency-Key: one send, delivered once', async () => {
    // A proxy in front of the real API that lets the first POST /v1/sends reach it, then drops the connection
    // instead of passing the answer on: the send is recorded, the client does not know.
    let dropped = 0;
    const proxy = await startProxy(api.url, (req) => req.method === 'POST' && req.url === '/v1/sends' && dropped++ === 0);
    try {
      const user = 'staff-21';
      const retries: (number | null)[] = [];
      const viaProxy = new DingrelayClient({ baseUrl: proxy.url, apiKey, retry: { baseDelayMs: 50, onRetry: (info) => retries.push(info.status) } });
      const created = await viaProxy.createSend({ userIds: [user], ...text('exactly once') });

      expect(retries).toEqual([null]); // one retry, after no answer
      expect(proxy.seen.filter((r) => r.method === 'POST')).toHaveLength(2);
      const keys = proxy.seen.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key']);
      expect(keys[1]).toBe(keys[0]);
      expect(created).toMatchObject({ replayed: true, idempotencyKey: keys[0] });

      const sends = await client.listSends({ idempotencyKey: created.idempotencyKey });
      expect(sends.items.map((s) => s.id)).toEqual([created.id]);
      await client.waitForSend(created.id, { pollIntervalMs: 100 });
      expect(sim.ledger.countFor(user)).toBe(1);
    } finally {
      await proxy.close();
    }
  }, TEST_TIMEOUT_MS);

  it('lists as a promise of one page or an iterable of every item across keyset pages', async () => {
    const tag = `paged-${run}`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await client.createSend({ userIds: [`staff-3${i}`], ...text(tag) }, { idempotencyKey: `${tag}-${i}` })).id);
    const keys = ids.map((_, i) => `${tag}-${i}`);

    // Each filtered to this test's sends through their Idempotency-Keys, one per page.
    const walked: string[] = [];
    for (const idempotencyKey of keys) for await (const send of client.listSends({ idempotencyKey, maxResults: 1 })) walked.push(send.id);
    expect(walked).toEqual(ids);

    const first = await client.listSends({ chatConfiguration: configuration, maxResults: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextToken).toEqual(expect.any(String));

    const everything: string[] = [];
    for await (const send of client.listSends({ chatConfiguration: configuration, maxResults: 2 })) everything.push(send.id);
    expect(everything).toEqual(expect.arrayContaining(ids));
    const pageSizes: number[] = [];
    for await (const page of client.listSends({ chatConfiguration: configuration, maxResults: 2 }).pages()) pageSizes.push(page.items.length);
    expect(pageSizes.reduce((a, b) => a + b, 0)).toBe(everything.length);
    expect(pageSizes.length).toBe(Math.ceil(everything.length / 2));

    // The other listings page the same way.
    const events: string[] = [];
    for await (const event of client.listSendEvents(ids[0]!, { maxResults: 1 })) events.push(event.type);
    expect(events[0]).toBe('accepted');
    const recipients = await client.listSendRecipients(ids[0]!);
    expect(recipients.items.map((r) => r.userId)).toEqual(['staff-30']);
    let keysSeen = 0;
    for await (const key of client.listApiKeys({ maxResults: 50 })) if (key.name === `client-e2e-admin-${run}`) keysSeen++;
    expect(keysSeen).toBe(1);
    for (const id of ids) await client.waitForSend(id, { pollIntervalMs: 100 });
  }, TEST_TIMEOUT_MS);

  it("surfaces the API's refusals as their category, with the fields at fault and the request id", async () => {
    const invalid = await client.createSend({ userIds: [`staff-${'9'.repeat(70)}`], ...text('x') }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(DingrelayValidationError);
    expect(invalid).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', requestId: expect.any(String) });
    expect((invalid as DingrelayApiError).details).toEqual(expect.arrayContaining([expect.objectContaining({ field: expect.stringMatching(/^userIds/) })]));

    await expect(client.getSend('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(DingrelayNotFoundError);

    const bogus = new DingrelayClient({ baseUrl: api.url, apiKey: 'drk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    const unauthenticated = await bogus.getUsage().catch((e: unknown) => e);
    expect(unauthenticated).toBeInstanceOf(DingrelayAuthenticationError);
    expect(unauthenticated).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });

    const auditorKey = (await client.createApiKey({ name: `client-e2e-auditor-${run}`, role: 'auditor' })).key;
    const auditor = new DingrelayClient({ baseUrl: api.url, apiKey: auditorKey });
    const forbidden = await auditor.createSend({ userIds: ['staff-1'], ...text('no') }).catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(DingrelayPermissionError);
    expect(forbidden).toMatchObject({ status: 403, code: 'FORBIDDEN' });

    const send = await client.createSend({ userIds: ['staff-41'], ...text('done') });
    await client.waitForSend(send.id, { pollIntervalMs: 100 });
    const conflict = await client.cancelSend(send.id).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(DingrelayConflictError);
    expect(conflict).toMatchObject({ status: 409, code: 'CONFLICT' });
    // Still the class callers already check for.
    for (const error of [invalid, unauthenticated, forbidden, conflict]) expect(error).toBeInstanceOf(DingrelayApiError);
  }, TEST_TIMEOUT_MS);

  it('stops waiting at timeoutMs with the status read then, or when the signal fires; the send goes on', async () => {
    // DingTalk answers batchSend only after 5 s: the send stays pending through the waits below.
    sim.configure({ faults: { latencyMs: 5_000, apis: ['batchSend'] } });
    let sendId: string;
    try {
      const send = await client.createSend({ userIds: ['staff-51'], ...text('slow') });
      sendId = send.id;
      const started = Date.now();
      const timedOut = await client.waitForSend(send.id, { timeoutMs: 400, pollIntervalMs: 100 }).catch((e: unknown) => e);
      expect(timedOut).toBeInstanceOf(DingrelayWaitTimeoutError);
      const last = (timedOut as DingrelayWaitTimeoutError).send;
      expect(last).toMatchObject({ id: send.id, status: expect.stringMatching(/^(accepted|delivering)$/), recipients: { total: 1, pending: 1 } });
      expect(Date.parse(last.progress.estimatedCompletionAt!)).toBeGreaterThan(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      expect(Date.now() - started).toBeLessThan(4_000);

      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      await expect(client.waitForSend(send.id, { signal: controller.signal, pollIntervalMs: 100 })).rejects.toBeInstanceOf(DingrelayAbortError);
    } finally {
      sim.configure({ faults: {} });
    }
    await expect(client.waitForSend(sendId, { pollIntervalMs: 200, timeoutMs: 60_000 })).resolves.toMatchObject({ status: 'completed' });
  }, TEST_TIMEOUT_MS);
});

interface Proxy {
  url: string;
  seen: IncomingMessage[];
  close(): Promise<void>;
}

/** A pass-through HTTP proxy to `target` that, for requests `dropAnswer` picks, drops the connection once the target answered. */
async function startProxy(target: string, dropAnswer: (req: IncomingMessage) => boolean): Promise<Proxy> {
  const seen: IncomingMessage[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    seen.push(req);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>;
    const drop = dropAnswer(req);
    const answer = await fetch(target + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const body = Buffer.from(await answer.arrayBuffer());
    if (drop) {
      res.socket?.destroy();
      return;
    }
    res.writeHead(answer.status, Object.fromEntries([...answer.headers].filter(([name]) => !['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(name))));
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
