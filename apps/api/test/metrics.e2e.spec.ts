import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { startDingTalkSimulator, type DingTalkSimulator } from '@dingrelay/dingtalk-sim';
import {
  buildWorkerApp,
  deleteQueuePrefix,
  type ManagedProcess,
  prepareTestDatabase,
  startWorkerProcess,
  testRedisUrl,
  uniqueQueuePrefix,
  waitFor,
  workerOpsUrl,
} from '@dingrelay/testing';
import { hasSample, parsePrometheusText, type Sample, sampleValue } from './support/prometheus-text.js';
import { apiRequest, createTestApiKey, startTestApi } from './support/test-api.js';

/**
 * Prometheus metrics end to end: a real send through the API, a worker process and the simulator, with /metrics
 * scraped before and after and the exposition parsed; then a throttled call; then who may scrape.
 */

const APP = { appKey: `metrics-app-${randomBytes(3).toString('hex')}`, appSecret: 'metrics-secret', robotCode: 'metrics-robot' };
const QPS_CODE = 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi';
const BATCH_SEND = 'robot.batchSendOTO';

async function scrapeWorker(url: string): Promise<Sample[]> {
  const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(15_000) });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return parsePrometheusText(await res.text());
}

describe('metrics', () => {
  const prefix = uniqueQueuePrefix('api-metrics');
  const configuration = `metrics-${randomBytes(3).toString('hex')}`;
  let sim: DingTalkSimulator;
  let api: INestApplication;
  let worker: ManagedProcess;
  let workerUrl: string;

  const scrapeApi = async (): Promise<Sample[]> => {
    const res = await apiRequest(api).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    return parsePrometheusText(res.text);
  };

  async function sendAndWait(userIds: string[]): Promise<string> {
    const created = await apiRequest(api)
      .post('/v1/sends')
      .send({ userIds, msgKey: 'sampleText', msgParam: { content: 'metrics' }, chatConfiguration: configuration })
      .expect(202);
    await waitFor(
      async () => (await apiRequest(api).get(created.body.statusUrl).expect(200)).body.status,
      (status) => status === 'completed',
      { timeoutMs: 60_000, description: `send ${created.body.id} to complete` },
    );
    return created.body.id;
  }

  beforeAll(async () => {
    const databaseUrl = await prepareTestDatabase();
    await buildWorkerApp();
    sim = await startDingTalkSimulator({ apps: [APP], users: { pattern: '^staff-\\d+$' } });
    api = await startTestApi({ queuePrefix: prefix, robotCode: APP.robotCode, env: { DINGTALK_BASE_URL: sim.url } });
    await apiRequest(api)
      .post('/v1/chat-configurations')
      .send({ name: configuration, type: 'DingTalk', configuration: { clientId: APP.appKey, clientSecret: APP.appSecret, robotCode: APP.robotCode } })
      .expect(201);
    worker = await startWorkerProcess({
      name: 'metrics worker',
      env: {
        DATABASE_URL: databaseUrl,
        DATABASE_POOL_SIZE: '4',
        REDIS_URL: testRedisUrl(),
        QUEUE_PREFIX: prefix,
        DINGTALK_BASE_URL: sim.url,
        // Only this suite's queue: no read polls or reconciling passes over other suites' rows.
        READ_STATUS_POLL_SCHEDULE: 'off',
        RECONCILE_INTERVAL_MS: '3600000',
        RETRY_BASE_DELAY_MS: '100',
      },
    });
    workerUrl = workerOpsUrl(worker);
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await sim?.close();
    await deleteQueuePrefix(prefix);
  }, 60_000);

  it('moves with a send: DingTalk calls per batch, settled recipients, token fetch, pace waits, quota used', async () => {
    const userIds = Array.from({ length: 45 }, (_, i) => `staff-${i}`);
    const batches = Math.ceil(userIds.length / 20);
    const okCalls = { api: BATCH_SEND, app: APP.appKey, outcome: 'ok', code: 'ok' };
    const workerBefore = await scrapeWorker(workerUrl);
    const apiBefore = await scrapeApi();
    const quotaBefore = sampleValue(apiBefore, 'dingrelay_quota_used', { configuration });

    await sendAndWait(userIds);

    const after = await scrapeWorker(workerUrl);
    const delta = (name: string, labels: Record<string, string> = {}) => sampleValue(after, name, labels) - sampleValue(workerBefore, name, labels);
    expect({
      okBatchSends: delta('dingrelay_dingtalk_calls_total', okCalls),
      batchSendDurations: delta('dingrelay_dingtalk_call_duration_seconds_count', { api: BATCH_SEND }),
      delivered: delta('dingrelay_recipients_settled_total', { status: 'delivered' }),
      settled: delta('dingrelay_recipients_settled_total'),
      retries: delta('dingrelay_delivery_retries_total'),
    }).toEqual({
      okBatchSends: batches,
      batchSendDurations: batches,
      delivered: userIds.length,
      settled: userIds.length,
      retries: 0,
    });
    // At least one pace reservation per call; a batch whose slot was too far off reserves again on its return.
    expect(delta('dingrelay_pace_wait_seconds_count', { app: APP.appKey, api: BATCH_SEND })).toBeGreaterThanOrEqual(batches);
    // The app's token came from DingTalk once, into the shared store.
    expect(sampleValue(after, 'dingrelay_token_fetches_total', { app: APP.appKey, outcome: 'ok' })).toBe(1);
    // Gauges read at scrape time, and Node's own metrics, all under dingrelay_.
    for (const state of ['waiting', 'active', 'delayed', 'failed', 'paused']) {
      expect({ state, present: hasSample(after, 'dingrelay_queue_jobs', { queue: 'deliver-batch', state }) }).toEqual({ state, present: true });
    }
    expect(hasSample(after, 'dingrelay_queue_jobs', { queue: 'recipient-retention', state: 'delayed' })).toBe(true);
    expect(hasSample(after, 'dingrelay_process_cpu_user_seconds_total')).toBe(true);
    expect(after.filter((s) => !s.name.startsWith('dingrelay_')).map((s) => s.name)).toEqual([]);

    // Postgres-backed gauges are cached for a few seconds: the next reads show the send.
    const apiAfter = await waitFor(
      scrapeApi,
      (samples) => sampleValue(samples, 'dingrelay_quota_used', { configuration }) >= quotaBefore + batches,
      { timeoutMs: 20_000, intervalMs: 500, description: 'quota used to count the batches' },
    );
    expect(sampleValue(apiAfter, 'dingrelay_quota_used', { configuration })).toBe(quotaBefore + batches);
    expect(sampleValue(apiAfter, 'dingrelay_quota_limit', { configuration })).toBe(5_000);
    expect(sampleValue(apiAfter, 'dingrelay_sends', { status: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(hasSample(apiAfter, 'dingrelay_sends', { status: 'accepted' })).toBe(true);
    expect(hasSample(apiAfter, 'dingrelay_queue_jobs', { queue: 'deliver-batch', state: 'waiting' })).toBe(true);
    expect(sampleValue(apiAfter, 'dingrelay_http_requests_total', { method: 'POST', route: '/v1/sends', status: '202' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(apiAfter, 'dingrelay_http_requests_total', { method: 'GET', route: '/v1/sends/:id', status: '200' })).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('counts retries by retry class, and the failed calls by code, when the simulator throttles', async () => {
    const before = await scrapeWorker(workerUrl);
    sim.injectFault({ code: QPS_CODE, times: 2 });

    await sendAndWait(['staff-100', 'staff-101']);

    const after = await scrapeWorker(workerUrl);
    const delta = (name: string, labels: Record<string, string>) => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect({
      throttleRetries: delta('dingrelay_delivery_retries_total', { reason: 'qps-throttle' }),
      throttledCalls: delta('dingrelay_dingtalk_calls_total', { api: BATCH_SEND, app: APP.appKey, outcome: 'api-error', code: QPS_CODE }),
      okCalls: delta('dingrelay_dingtalk_calls_total', { api: BATCH_SEND, app: APP.appKey, outcome: 'ok' }),
      delivered: delta('dingrelay_recipients_settled_total', { status: 'delivered' }),
    }).toEqual({ throttleRetries: 2, throttledCalls: 2, okCalls: 1, delivered: 2 });
  }, 120_000);

  it("counts recipients the API cancels (a send's unsent batches) as settled in the API's own metrics", async () => {
    // No worker consumes this API's queue: its send stays pending until cancelled.
    const idle = await startTestApi({ queuePrefix: `${prefix}-idle`, robotCode: APP.robotCode });
    try {
      const scrape = async () => parsePrometheusText((await apiRequest(idle).get('/metrics').expect(200)).text);
      const before = sampleValue(await scrape(), 'dingrelay_recipients_settled_total', { status: 'cancelled' });
      const send = await apiRequest(idle)
        .post('/v1/sends')
        .send({ userIds: ['staff-200', 'staff-201', 'staff-202'], msgKey: 'sampleText', msgParam: { content: 'never sent' } })
        .expect(202);
      await apiRequest(idle).post(`/v1/sends/${send.body.id}/cancel`).expect(200);
      expect(sampleValue(await scrape(), 'dingrelay_recipients_settled_total', { status: 'cancelled' }) - before).toBe(3);
    } finally {
      await idle.close();
      await deleteQueuePrefix(`${prefix}-idle`);
    }
  });

  describe('who may scrape', () => {
    it("answers the API's /metrics to admins and auditors only (401 without a key, 403 for senders)", async () => {
      const auditor = await createTestApiKey(api, { role: 'auditor' });
      const sender = await createTestApiKey(api, { role: 'sender', chatConfigurations: [configuration] });
      await apiRequest(api, auditor.key).get('/metrics').expect(200);
      await apiRequest(api, sender.key).get('/metrics').expect(403);
      const none = await apiRequest(api, null).get('/metrics').expect(401);
      expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it("serves the worker's /metrics on its ops port without a key", async () => {
      const res = await fetch(`${workerUrl}/metrics`);
      expect(res.status).toBe(200);
    });

    it('does not count scrapes against the per-key request rate', async () => {
      const limited = await startTestApi({
        queuePrefix: `${prefix}-limited`,
        robotCode: APP.robotCode,
        env: { API_KEY_RATE_LIMIT_PER_SECOND: '1', API_KEY_RATE_LIMIT_BURST: '1' },
      });
      try {
        const auditor = await createTestApiKey(limited, { role: 'auditor', name: 'scraper' });
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) statuses.push((await apiRequest(limited, auditor.key).get('/metrics')).status);
        expect(statuses).toEqual([200, 200, 200, 200, 200]);
        // The same key on an ordinary route is limited: the scrapes above were exempt, not the limit off.
        const usage = [(await apiRequest(limited, auditor.key).get('/v1/usage')).status, (await apiRequest(limited, auditor.key).get('/v1/usage')).status];
        expect(usage).toContain(429);
      } finally {
        await limited.close();
        await deleteQueuePrefix(`${prefix}-limited`);
      }
    });

    it('opens the API\'s /metrics to anyone with METRICS_PUBLIC=true, and refuses a value that is not a boolean', async () => {
      const open = await startTestApi({ queuePrefix: `${prefix}-public`, robotCode: APP.robotCode, env: { METRICS_PUBLIC: 'true' } });
      try {
        const res = await apiRequest(open, null).get('/metrics').expect(200);
        expect(hasSample(parsePrometheusText(res.text), 'dingrelay_queue_jobs', { queue: 'deliver-batch' })).toBe(true);
      } finally {
        await open.close();
        await deleteQueuePrefix(`${prefix}-public`);
      }
      await expect(startTestApi({ queuePrefix: `${prefix}-bad`, robotCode: APP.robotCode, env: { METRICS_PUBLIC: 'yes' } })).rejects.toThrow(
        /METRICS_PUBLIC: must be true or false/,
      );
    });
  });
});
