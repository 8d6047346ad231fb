import type { NestExpressApplication } from '@nestjs/platform-express';
import { ShutdownState, validateConfig } from '@dingrelay/domain';
import {
  buildWorkerApp,
  type ManagedProcess,
  PostgresServerProcess,
  prepareTestDatabase,
  RedisServerProcess,
  startWorkerProcess,
  testSecretEncryptionKeys,
  waitFor,
  workerOpsUrl,
} from '@dingrelay/testing';
import { ApiConfig } from '../src/api.config.js';
import { createApiApp } from '../src/create-api-app.js';

/**
 * /health/live and /health/ready of the API and of the worker process, against a Postgres and a Redis of this
 * suite's own (the machine's shared ones serve other suites and must stay up): each dependency is stopped and
 * brought back, and the probes must say so — ready 503 naming the indicator, live 200 throughout.
 */

interface Probe {
  status: number;
  body: {
    status: string;
    info?: Record<string, { status: string; message?: string }>;
    error?: Record<string, { status: string; message?: string }>;
    details: Record<string, { status: string; message?: string; queues?: Record<string, string> }>;
  };
}

/** A probe answers, never hangs: the fetch's own deadline is far above HEALTH_CHECK_TIMEOUT_MS. */
async function probe(url: string): Promise<Probe> {
  const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: (await res.json()) as Probe['body'] };
}

const CHECK_TIMEOUT_MS = 1_000;

describe('health endpoints when Postgres or Redis is down', () => {
  let postgres: PostgresServerProcess;
  let redis: RedisServerProcess;
  let api: NestExpressApplication;
  let apiUrl: string;
  let worker: ManagedProcess;
  let workerUrl: string;
  const prefix = `health-${process.pid}`;

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([PostgresServerProcess.create(), RedisServerProcess.start(), buildWorkerApp()]);
    const databaseUrl = await prepareTestDatabase(postgres.url('dingrelay_health'));
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
      SECRET_ENCRYPTION_KEYS: testSecretEncryptionKeys(),
      HEALTH_CHECK_TIMEOUT_MS: String(CHECK_TIMEOUT_MS),
      DINGTALK_BASE_URL: 'http://127.0.0.1:9',
    };
    api = await createApiApp(validateConfig(ApiConfig, { ...env, API_PORT: '0' }), { logger: false });
    await api.listen(0, '127.0.0.1');
    apiUrl = (await api.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await startWorkerProcess({ name: 'health worker', env });
    workerUrl = workerOpsUrl(worker);
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await redis?.stop();
    await postgres?.destroy();
  }, 60_000);

  const apps = () => [
    { name: 'api', url: apiUrl },
    { name: 'worker', url: workerUrl },
  ];

  async function readyOf(url: string, expected: number): Promise<Probe> {
    return waitFor(
      () => probe(`${url}/health/ready`),
      (p) => p.status === expected,
      { timeoutMs: 30_000, intervalMs: 200, description: `${url}/health/ready to answer ${expected}` },
    );
  }

  it('answers 200 on both probes while everything is up, listing each indicator', async () => {
    for (const { name, url } of apps()) {
      const live = await probe(`${url}/health/live`);
      expect({ name, status: live.status, body: live.body.status }).toEqual({ name, status: 200, body: 'ok' });
      const ready = await readyOf(url, 200);
      expect({ name, status: ready.body.status, indicators: Object.keys(ready.body.details).sort() }).toEqual({
        name,
        status: 'ok',
        indicators: ['postgres', 'queue', 'redis', 'shutdown'],
      });
      expect(Object.values(ready.body.details).map((d) => d.status)).toEqual(['up', 'up', 'up', 'up']);
    }
    // Every queue dingrelay has; the worker consumes them, the API only connects.
    const apiQueues = (await probe(`${apiUrl}/health/ready`)).body.details['queue']?.queues;
    const workerQueues = (await probe(`${workerUrl}/health/ready`)).body.details['queue']?.queues;
    expect(apiQueues).toEqual({ 'deliver-batch': 'connected', 'recipient-retention': 'connected' });
    expect(workerQueues).toEqual({ 'deliver-batch': 'processing', 'recipient-retention': 'processing' });
  });

  it('reports postgres down (503 naming it) while it is stopped, keeps live at 200, and recovers', async () => {
    await postgres.stop('fast');
    for (const { name, url } of apps()) {
      const ready = await readyOf(url, 503);
      expect({ name, status: ready.body.status, failing: Object.keys(ready.body.error ?? {}) }).toEqual({
        name,
        status: 'error',
        failing: ['postgres'],
      });
      expect(ready.body.error?.['postgres']).toEqual(expect.objectContaining({ status: 'down', message: expect.any(String) }));
      expect(ready.body.details['redis']?.status).toBe('up');
      const live = await probe(`${url}/health/live`);
      expect({ name, live: live.status }).toEqual({ name, live: 200 });
    }

    await postgres.start();
    for (const { url } of apps()) {
      const ready = await readyOf(url, 200);
      expect(ready.body.details['postgres']?.status).toBe('up');
    }
  }, 120_000);

  it('reports redis down (503 naming redis and the queues) while it is stopped, keeps live at 200, and recovers', async () => {
    await redis.kill();
    for (const { name, url } of apps()) {
      const ready = await waitFor(
        () => probe(`${url}/health/ready`),
        (p) => p.status === 503 && p.body.error?.['redis'] !== undefined && p.body.error?.['queue'] !== undefined,
        { timeoutMs: 30_000, intervalMs: 200, description: `${name} to report redis and queue down` },
      );
      expect({ name, status: ready.body.status, failing: Object.keys(ready.body.error ?? {}).sort() }).toEqual({
        name,
        status: 'error',
        failing: ['queue', 'redis'],
      });
      expect(ready.body.error?.['redis']?.message).toEqual(expect.any(String));
      expect(ready.body.details['postgres']?.status).toBe('up');
      const live = await probe(`${url}/health/live`);
      expect({ name, live: live.status }).toEqual({ name, live: 200 });
    }
    // A scrape still answers, within the read timeout: the queue gauges are left out of it, and the failed read is
    // counted (shown from the next scrape on: the counter is serialized while the gauges are still being read).
    const scrape = async () => {
      const res = await fetch(`${workerUrl}/metrics`, { signal: AbortSignal.timeout(15_000) });
      expect(res.status).toBe(200);
      return res.text();
    };
    expect(await scrape()).not.toMatch(/^dingrelay_queue_jobs\{/m);
    expect(await scrape()).toMatch(/^dingrelay_metrics_collect_errors_total\{collector="queue_jobs"\} [1-9]/m);

    await redis.restart();
    for (const { url } of apps()) {
      const ready = await readyOf(url, 200);
      expect([ready.body.details['redis']?.status, ready.body.details['queue']?.status]).toEqual(['up', 'up']);
    }
  }, 120_000);

  it('turns ready to 503 naming shutdown once shutdown has begun, while live stays 200', async () => {
    api.get(ShutdownState).begin();
    const ready = await probe(`${apiUrl}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body.error?.['shutdown']).toEqual(expect.objectContaining({ status: 'down', message: 'shutting down' }));
    expect((await probe(`${apiUrl}/health/live`)).status).toBe(200);
  });
});
