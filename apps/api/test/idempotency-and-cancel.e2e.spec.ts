import { randomUUID } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { startDingTalkSimulator, type DingTalkSimulator } from '@dingrelay/dingtalk-sim';
import {
  deleteQueuePrefix,
  openTestDataSource,
  prepareTestDatabase,
  startTestDeliveryWorker,
  testRedisUrl,
  uniqueQueuePrefix,
  waitFor,
} from '@dingrelay/testing';
import { apiRequest, createTestApiKey, startTestApi } from './support/test-api.js';
import type { DataSource } from 'typeorm';

const APP = { appKey: 'idem-app', appSecret: 'idem-secret', robotCode: 'idem-robot' };

describe('Idempotency-Key and cancellation', () => {
  let sim: DingTalkSimulator;
  let api: INestApplication;
  let db: DataSource;
  let databaseUrl: string;
  const workers: INestApplicationContext[] = [];
  const prefix = uniqueQueuePrefix('api-idem');

  const startWorker = async (concurrency = 4) => {
    const worker = await startTestDeliveryWorker({
      databaseUrl,
      redisUrl: testRedisUrl(),
      queuePrefix: prefix,
      dingtalkBaseUrl: sim.url,
      chatConfigurations: [{ name: 'default', ...APP }],
      settings: { concurrency },
    });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    databaseUrl = await prepareTestDatabase();
    sim = await startDingTalkSimulator({ apps: [APP], users: { pattern: '^u-\\d+$' } });
    api = await startTestApi({ queuePrefix: prefix, robotCode: APP.robotCode });
    db = await openTestDataSource();
  });

  afterAll(async () => {
    for (const worker of workers) await worker.close();
    await api?.close();
    await sim?.close();
    await db?.destroy();
    await deleteQueuePrefix(prefix);
  });

  const http = () => apiRequest(api);
  const users = (from: number, n: number) => Array.from({ length: n }, (_, i) => `u-${from + i}`);
  const status = async (id: string) => (await http().get(`/v1/sends/${id}`).expect(200)).body;

  describe('Idempotency-Key', () => {
    it('returns the first send for a retried request, and records it once', async () => {
      const key = randomUUID();
      const body = { userIds: users(1, 30), msgKey: 'sampleText', msgParam: { content: `idem ${key}` } };
      const first = await http().post('/v1/sends').set('Idempotency-Key', key).send(body).expect(202);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      // Same request, fields in another order: still the same request.
      const again = await http()
        .post('/v1/sends')
        .set('Idempotency-Key', key)
        .send({ msgParam: body.msgParam, msgKey: body.msgKey, userIds: body.userIds })
        .expect(202);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);

      const rows = await db.query(`SELECT id FROM sends WHERE idempotency_key = $1`, [key]);
      expect(rows).toEqual([{ id: first.body.id }]);
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM recipients WHERE send_id = $1`, [first.body.id]);
      expect(n).toBe(30);
    });

    it('answers 409 when the key was used for a different request, and writes nothing', async () => {
      const key = randomUUID();
      await http().post('/v1/sends').set('Idempotency-Key', key)
        .send({ userIds: users(1, 2), msgKey: 'sampleText', msgParam: { content: 'first' } }).expect(202);
      const marker = `second ${randomUUID()}`;
      const res = await http().post('/v1/sends').set('Idempotency-Key', key)
        .send({ userIds: users(1, 2), msgKey: 'sampleText', msgParam: { content: marker } }).expect(409);
      expect(res.body).toMatchObject({ status: 409, code: 'CONFLICT', details: [{ field: 'Idempotency-Key' }] });
      expect(res.body.message).toContain(key);
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM sends WHERE msg_param->>'content' = $1`, [marker]);
      expect(n).toBe(0);
    });

    it('creates exactly one send when the same request races itself', async () => {
      const key = randomUUID();
      const body = { userIds: users(1, 40), msgKey: 'sampleText', msgParam: { content: `race ${key}` } };
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => http().post('/v1/sends').set('Idempotency-Key', key).send(body)),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(6).fill(202));
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM sends WHERE idempotency_key = $1`, [key]);
      expect(n).toBe(1);
    });

    describe('scoped per chat configuration', () => {
      // A second configuration on the same simulated app, and a sender that may use only it.
      const other = `idem-other-${randomUUID().slice(0, 8)}`;
      let otherSender: string;
      beforeAll(async () => {
        await http().post('/v1/chat-configurations')
          .send({ name: other, type: 'DingTalk', configuration: { clientId: APP.appKey, clientSecret: APP.appSecret, robotCode: APP.robotCode } })
          .expect(201);
        otherSender = (await createTestApiKey(api, { role: 'sender', name: `idem-sender-${other}`, chatConfigurations: [other] })).key;
      });

      it("lets a sender of another configuration reuse a key without learning of (or colliding with) the first send", async () => {
        const key = randomUUID();
        const first = await http().post('/v1/sends').set('Idempotency-Key', key)
          .send({ userIds: users(1, 2), msgKey: 'sampleText', msgParam: { content: `default ${key}` } }).expect(202);
        const theirs = await apiRequest(api, otherSender).post('/v1/sends').set('Idempotency-Key', key)
          .send({ userIds: users(1, 2), msgKey: 'sampleText', msgParam: { content: `other ${key}` }, chatConfiguration: other });
        expect(theirs.status).toBe(202);
        expect(theirs.headers['idempotent-replayed']).toBeUndefined();
        expect(theirs.body.id).not.toBe(first.body.id);
        expect(JSON.stringify(theirs.body)).not.toContain(first.body.id);
        const rows = await db.query(`SELECT chat_configuration FROM sends WHERE idempotency_key = $1 ORDER BY chat_configuration`, [key]);
        expect(rows.map((r: { chat_configuration: string }) => r.chat_configuration).sort()).toEqual(['default', other].sort());
      });

      it('still replays and refuses within one configuration, and the 409 names only a send of that configuration', async () => {
        const key = randomUUID();
        const body = { userIds: users(1, 2), msgKey: 'sampleText', msgParam: { content: `mine ${key}` }, chatConfiguration: other };
        await http().post('/v1/sends').set('Idempotency-Key', key)
          .send({ ...body, chatConfiguration: undefined }).expect(202); // the same key on the default configuration
        const first = await apiRequest(api, otherSender).post('/v1/sends').set('Idempotency-Key', key).send(body).expect(202);
        const again = await apiRequest(api, otherSender).post('/v1/sends').set('Idempotency-Key', key).send(body).expect(202);
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect(again.body.id).toBe(first.body.id);
        const conflict = await apiRequest(api, otherSender).post('/v1/sends').set('Idempotency-Key', key)
          .send({ ...body, msgParam: { content: 'changed' } }).expect(409);
        const named = JSON.stringify(conflict.body).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [];
        expect(named.filter((id) => id !== conflict.body.requestId && id !== key)).toEqual([first.body.id]);
        // The sender may read what it was pointed at.
        await apiRequest(api, otherSender).get(`/v1/sends/${first.body.id}`).expect(200);
      });
    });

    it.each([['with a space', 'a b'], ['with a tab', 'a\tb'], ['too long', 'k'.repeat(256)]])(
      'refuses a key %s with 400',
      async (_name, key) => {
        const res = await http().post('/v1/sends').set('Idempotency-Key', key)
          .send({ userIds: ['u-1'], msgKey: 'sampleText', msgParam: { content: 'x' } }).expect(400);
        expect(res.body.details).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
      },
    );
  });

  describe('cancel', () => {
    it('cancels a send whose batches no worker has taken: nothing reaches DingTalk, even once workers start', async () => {
      const created = await http().post('/v1/sends')
        .send({ userIds: users(500, 100), msgKey: 'sampleText', msgParam: { content: 'never' } }).expect(202);
      // Ensure no worker took a job yet: none runs on this prefix until the cancel is done.
      expect(workers).toHaveLength(0);
      const cancel = await http().post(`/v1/sends/${created.body.id}/cancel`).expect(200);
      expect(cancel.body).toMatchObject({ id: created.body.id, cancelled: 100, inFlight: 0 });
      expect(cancel.body.send).toMatchObject({ status: 'cancelled', recipients: { cancelled: 100, pending: 0 } });
      expect(cancel.body.send.cancelledAt).not.toBeNull();
      expect(cancel.body.send.completedAt).not.toBeNull();

      await startWorker();
      const again = await http().post(`/v1/sends/${created.body.id}/cancel`).expect(200);
      expect(again.body).toMatchObject({ cancelled: 0, inFlight: 0 });
      // Give the worker time to drain the 5 jobs; each must find its batch cancelled.
      await waitFor(
        async () => (await db.query(`SELECT count(*)::int AS n FROM batches WHERE send_id = $1 AND status <> 'cancelled'`, [created.body.id]))[0].n,
        (n) => n === 0,
      );
      await new Promise((r) => setTimeout(r, 300));
      for (const userId of users(500, 100)) expect(sim.ledger.countFor(userId)).toBe(0);
      const [{ reasons }] = await db.query(
        `SELECT array_agg(DISTINCT reason_code) AS reasons FROM recipients WHERE send_id = $1`, [created.body.id]);
      expect(reasons).toEqual(['dingrelay.cancelled']);
    });

    it('stops a running send: what was sent stays delivered, the rest is cancelled, nobody is both', async () => {
      if (workers.length === 0) await startWorker();
      sim.configure({ faults: { latencyMs: 150 } });
      try {
        const userIds = users(10_000, 2_000); // 100 calls at the app's pace: several seconds to cancel in
        const created = await http().post('/v1/sends')
          .send({ userIds, msgKey: 'sampleText', msgParam: { content: 'stop me' } }).expect(202);
        await waitFor(() => status(created.body.id), (s) => s.recipients.delivered > 0, { description: 'first deliveries' });
        const cancel = await http().post(`/v1/sends/${created.body.id}/cancel`);
        expect(cancel.status).toBe(200);
        expect(cancel.body.cancelled).toBeGreaterThan(0);

        const done = await waitFor(() => status(created.body.id), (s) => s.recipients.pending === 0, { description: 'in-flight batches to finish' });
        expect(done.status).toBe('cancelled');
        expect(done.recipients.delivered + done.recipients.cancelled).toBe(2_000);
        expect(done.recipients.cancelled).toBeGreaterThanOrEqual(cancel.body.cancelled);

        const rows: { user_id: string; status: string }[] = await db.query(
          `SELECT user_id, status FROM recipients WHERE send_id = $1`, [created.body.id]);
        for (const r of rows) expect(sim.ledger.countFor(r.user_id)).toBe(r.status === 'delivered' ? 1 : 0);
      } finally {
        sim.configure({ faults: {} });
      }
    });

    const cancelWhileInFlight = async (userIds: string[], content: string) => {
      const created = await http().post('/v1/sends').send({ userIds, msgKey: 'sampleText', msgParam: { content } }).expect(202);
      await waitFor(
        async () => (await db.query(`SELECT status FROM batches WHERE send_id = $1`, [created.body.id]))[0]?.status,
        (batchStatus) => batchStatus === 'in_flight',
        { description: 'the batch to be in flight' },
      );
      const cancel = await http().post(`/v1/sends/${created.body.id}/cancel`).expect(200);
      expect(cancel.body).toMatchObject({ cancelled: 0, inFlight: userIds.length });
      const done = await waitFor(() => status(created.body.id), (s) => s.recipients.pending === 0, { description: 'settlement' });
      return { id: created.body.id as string, done };
    };

    it('does not re-send users DingTalk flow-controlled in a call answered after the cancel', async () => {
      if (workers.length === 0) await startWorker();
      sim.configure({ faults: { latencyMs: 400 }, flowControl: { userIds: ['u-3001'], times: 100 } });
      try {
        const userIds = users(3000, 20);
        const { id, done } = await cancelWhileInFlight(userIds, 'late cancel, flow control');
        expect(done).toMatchObject({ status: 'cancelled', recipients: { delivered: 19, cancelled: 1 } });
        const [user] = await db.query(
          `SELECT status, reason_code, reason_message FROM recipients WHERE send_id = $1 AND user_id = 'u-3001'`, [id]);
        expect(user).toMatchObject({ status: 'cancelled', reason_code: 'dingrelay.cancelled' });
        expect(user.reason_message).toMatch(/flow-controlled/);
        const [{ resends }] = await db.query(
          `SELECT count(*)::int AS resends FROM batches WHERE send_id = $1 AND parent_batch_id IS NOT NULL`, [id]);
        expect(resends).toBe(0);
        for (const userId of userIds) expect(sim.ledger.countFor(userId)).toBe(userId === 'u-3001' ? 0 : 1);
      } finally {
        sim.configure({ faults: {}, flowControl: {} });
      }
    });

    it('does not retry a call that failed after the cancel', async () => {
      if (workers.length === 0) await startWorker();
      sim.configure({ faults: { latencyMs: 400 } });
      sim.injectFault({ code: 'system.busy', status: 429, times: 1 });
      try {
        const userIds = users(3100, 20);
        const { id, done } = await cancelWhileInFlight(userIds, 'late cancel, busy');
        expect(done).toMatchObject({ status: 'cancelled', recipients: { delivered: 0, cancelled: 20 } });
        const [batch] = await db.query(`SELECT status, attempts, last_error_code FROM batches WHERE send_id = $1`, [id]);
        expect(batch).toMatchObject({ status: 'cancelled', attempts: 1, last_error_code: 'system.busy' });
        for (const userId of userIds) expect(sim.ledger.countFor(userId)).toBe(0);
      } finally {
        sim.configure({ faults: {} });
      }
    });

    it('answers 409 for a completed send and 404 for an unknown one', async () => {
      if (workers.length === 0) await startWorker();
      const created = await http().post('/v1/sends')
        .send({ userIds: users(2000, 3), msgKey: 'sampleText', msgParam: { content: 'done' } }).expect(202);
      await waitFor(() => status(created.body.id), (s) => s.status === 'completed');
      const res = await http().post(`/v1/sends/${created.body.id}/cancel`).expect(409);
      expect(res.body.code).toBe('CONFLICT');
      await http().post(`/v1/sends/${randomUUID()}/cancel`).expect(404);
    });
  });
});
