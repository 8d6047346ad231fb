import { randomUUID } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
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
import { apiRequest, startTestApi } from './support/test-api.js';
import type { DataSource } from 'typeorm';

const APP = { appKey: 'e2e-app', appSecret: 'e2e-secret', robotCode: 'e2e-robot' };

describe('sends end to end: API → Postgres → Bull → worker → simulator', () => {
  let sim: DingTalkSimulator;
  let api: INestApplication;
  let worker: INestApplicationContext;
  let db: DataSource;
  const prefix = uniqueQueuePrefix('api-e2e');

  beforeAll(async () => {
    const databaseUrl = await prepareTestDatabase();
    sim = await startDingTalkSimulator({
      apps: [APP],
      users: { pattern: '^user-\\d+$' },
      flowControl: { userIds: ['user-7'], times: 1 },
    });
    api = await startTestApi({ queuePrefix: prefix, robotCode: APP.robotCode });
    worker = await startTestDeliveryWorker({
      databaseUrl,
      redisUrl: testRedisUrl(),
      queuePrefix: prefix,
      dingtalkBaseUrl: sim.url,
      chatConfigurations: [{ name: 'default', ...APP }],
    });
    db = await openTestDataSource();
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sim?.close();
    await db?.destroy();
    await deleteQueuePrefix(prefix);
  });

  const http = () => apiRequest(api);

  it('delivers to 45 users in 3 batches: 43 delivered once each, 2 unknown users invalid, a flow-controlled user re-sent alone', async () => {
    const known = Array.from({ length: 43 }, (_, i) => `user-${i + 1}`);
    const userIds = [...known.slice(0, 20), 'ghost-1', ...known.slice(20), 'ghost-2'];
    const title = `release ${randomUUID()}`;

    const created = await http()
      .post('/v1/sends')
      .send({ userIds, msgKey: 'sampleMarkdown', msgParam: { title, text: '## v1.4.2 is live' } })
      .expect(202);
    expect(created.body).toMatchObject({
      status: 'accepted',
      recipients: { accepted: 45, duplicatesRemoved: 0 },
      batches: 3,
      deliveryPolicy: 'at-least-once',
      statusUrl: `/v1/sends/${created.body.id}`,
    });
    expect(created.headers['location']).toBe(created.body.statusUrl);

    const done = await waitFor(
      async () => (await http().get(created.body.statusUrl).expect(200)).body,
      (body) => body.status === 'completed',
      { description: 'the send to complete' },
    );
    expect(done.recipients).toEqual({
      total: 45, pending: 0, delivered: 43, invalid: 2, failed: 0, cancelled: 0, unknown: 0,
    });
    expect(done.batches).toEqual({ total: 4, remaining: 0 });
    expect(done.completedAt).not.toBeNull();

    for (const userId of known) expect(sim.ledger.countFor(userId)).toBe(1);
    expect(sim.ledger.countFor('ghost-1')).toBe(0);
    const delivered = sim.ledger.deliveries({ userId: 'user-1' }).deliveries[0];
    expect(delivered?.msgParam).toEqual({ title, text: '## v1.4.2 is live' });

    const invalid = await http().get(`${created.body.statusUrl}/recipients?status=invalid`).expect(200);
    expect(invalid.body.items.map((r: { userId: string }) => r.userId).sort()).toEqual(['ghost-1', 'ghost-2']);
    for (const r of invalid.body.items) {
      expect(r.reasonCode).toBe('dingrelay.invalidStaffId');
      expect(r.reasonMessage).toMatch(/invalidStaffIdList/);
    }

    // user-7 was flow-controlled on the first call: re-sent alone in a child batch, delivered on the second try.
    const resend: { user_ids: string[]; parent_batch_id: string | null; status: string }[] = await db.query(
      `SELECT user_ids, parent_batch_id, status FROM batches WHERE send_id = $1 AND parent_batch_id IS NOT NULL`,
      [created.body.id],
    );
    expect(resend).toEqual([{ user_ids: ['user-7'], parent_batch_id: expect.any(String), status: 'sent' }]);
    const [user7] = await db.query(
      `SELECT status, attempts, process_query_key FROM recipients WHERE send_id = $1 AND user_id = 'user-7'`,
      [created.body.id],
    );
    expect(user7).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(user7.process_query_key).toEqual(expect.any(String));
  });

  it('tells what was sent: configuration, robot, the msgParam as posted, the Idempotency-Key; nothing of the configuration\'s secrets', async () => {
    const key = `console-${randomUUID()}`;
    const msgParam = { title: 'Payroll', text: '## 工资条已发放' };
    const created = await http()
      .post('/v1/sends')
      .set('Idempotency-Key', key)
      .send({ userIds: ['user-950'], msgKey: 'sampleMarkdown', msgParam })
      .expect(202);
    const status = await http().get(created.body.statusUrl).expect(200);
    expect(status.body).toMatchObject({
      id: created.body.id,
      chatConfiguration: 'default',
      robotCode: APP.robotCode,
      msgKey: 'sampleMarkdown',
      msgParam,
      idempotencyKey: key,
      requestedBy: { name: expect.any(String) },
    });
    expect(JSON.stringify(status.body)).not.toContain(APP.appSecret);
    const withoutKey = await http().post('/v1/sends').send({ userIds: ['user-951'], msgKey: 'sampleText', msgParam: { content: 'x' } }).expect(202);
    expect((await http().get(withoutKey.body.statusUrl).expect(200)).body.idempotencyKey).toBeNull();
    // Settled before the next test, which counts DingTalk calls.
    for (const url of [created.body.statusUrl, withoutKey.body.statusUrl]) {
      await waitFor(async () => (await http().get(url).expect(200)).body, (b) => b.status === 'completed');
    }
  });

  it('meters DingTalk calls per configuration and month at GET /v1/usage, and shows progress on the send', async () => {
    const usageOf = async () =>
      (await http().get('/v1/usage').expect(200)).body.configurations.find((c: { chatConfiguration: string }) => c.chatConfiguration === 'default');
    const before = await usageOf();
    const created = await http().post('/v1/sends')
      .send({ userIds: ['user-900', 'user-901', 'ghost-9'], msgKey: 'sampleText', msgParam: { content: 'metered' } }).expect(202);
    const early = (await http().get(created.body.statusUrl).expect(200)).body;
    expect(early.progress).toMatchObject({ ambiguousCalls: 0, paused: null });
    expect(early.progress.batchesAhead).toBeGreaterThanOrEqual(early.status === 'completed' ? 0 : 1);
    const done = await waitFor(async () => (await http().get(created.body.statusUrl).expect(200)).body, (b) => b.status === 'completed');
    expect(done.progress).toEqual({ batchesAhead: 0, estimatedCompletionAt: null, ambiguousCalls: 0, paused: null });

    const after = await usageOf();
    expect(after.calls - before.calls).toBe(1);
    expect(after.billableCalls - before.billableCalls).toBe(1);
    expect(after.recipients - before.recipients).toBe(3);
    expect(after.delivered - before.delivered).toBe(2);
    expect(after.quota).toMatchObject({ monthlyCalls: 5000, remaining: 5000 - after.billableCalls });

    const usage = (await http().get('/v1/usage').expect(200)).body;
    expect(usage).toMatchObject({ month: expect.stringMatching(/^\d{4}-\d{2}$/), timeZone: 'Asia/Shanghai' });
    const bad = await http().get('/v1/usage').query({ month: '2026-13' }).expect(400);
    expect(bad.body.details[0].field).toBe('month');
    const past = await http().get('/v1/usage').query({ month: '2001-01' }).expect(200);
    expect(past.body.configurations).toEqual([expect.objectContaining({ chatConfiguration: 'default', calls: 0 })]);
  });

  it('pages recipients with maxResults and nextToken, without skipping or repeating anyone', async () => {
    const userIds = Array.from({ length: 45 }, (_, i) => `user-${100 + i}`);
    const created = await http()
      .post('/v1/sends')
      .send({ userIds: [...userIds, 'user-100', 'user-101'], msgKey: 'sampleText', msgParam: { content: 'paging' } })
      .expect(202);
    expect(created.body.recipients).toEqual({ accepted: 45, duplicatesRemoved: 2 });

    const seen: string[] = [];
    let nextToken: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string | number> = { maxResults: 10, ...(nextToken ? { nextToken } : {}) };
      const page = await http().get(`/v1/sends/${created.body.id}/recipients`).query(query).expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(10);
      seen.push(...page.body.items.map((r: { userId: string }) => r.userId));
      nextToken = page.body.nextToken;
      pages += 1;
    } while (nextToken);
    expect(pages).toBe(5);
    expect(seen).toEqual(userIds);

    await http()
      .get(`/v1/sends/${created.body.id}/recipients`)
      .query({ nextToken: 'bm90LWEtdG9rZW4' })
      .expect(400)
      .expect((res) => expect(res.body.details[0].field).toBe('nextToken'));
  });

  it('pages in id order where recipient ids gain a digit (999… → 1000…)', async () => {
    // Jump the id sequence to just below the next power of ten, so this send's ids cross a digit boundary.
    const [{ max }] = await db.query(`SELECT coalesce(max(id), 0)::bigint AS max FROM recipients`);
    const boundary = 10n ** BigInt(String(max).length + 1);
    await db.query(`SELECT setval(pg_get_serial_sequence('recipients', 'id'), $1::bigint)`, [String(boundary - 20n)]);
    const userIds = Array.from({ length: 45 }, (_, i) => `user-${300 + i}`);
    const created = await http().post('/v1/sends').send({ userIds, msgKey: 'sampleText', msgParam: { content: 'digits' } }).expect(202);
    const seen: string[] = [];
    let nextToken: string | null = null;
    do {
      const query: Record<string, string | number> = { maxResults: 7, ...(nextToken ? { nextToken } : {}) };
      const page = await http().get(`/v1/sends/${created.body.id}/recipients`).query(query).expect(200);
      seen.push(...page.body.items.map((r: { userId: string }) => r.userId));
      nextToken = page.body.nextToken;
    } while (nextToken);
    expect(seen).toEqual(userIds);
  });

  it('answers 404 in the error shape for unknown and malformed send ids', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const res = await http().get(`/v1/sends/${id}`).expect(404);
      expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND', details: [], requestId: expect.any(String) });
      expect(res.body.message).toContain(id);
    }
    await http().get(`/v1/sends/${randomUUID()}/recipients`).expect(404);
  });

  describe('bad input is refused with 400 naming the field, and nothing is written', () => {
    const marker = () => `marker-${randomUUID()}`;
    const sendsWithMarker = async (m: string) =>
      Number((await db.query(`SELECT count(*) AS n FROM sends WHERE msg_param::text LIKE $1`, [`%${m}%`]))[0].n);

    const cases: [string, (m: string) => unknown, string][] = [
      ['empty userIds', (m) => ({ userIds: [], msgKey: 'sampleText', msgParam: { content: m } }), 'userIds'],
      ['missing userIds', (m) => ({ msgKey: 'sampleText', msgParam: { content: m } }), 'userIds'],
      [
        'more than 100,000 users',
        (m) => ({ userIds: Array.from({ length: 100_001 }, (_, i) => `u${i}`), msgKey: 'sampleText', msgParam: { content: m } }),
        'userIds',
      ],
      ['a blank userId', (m) => ({ userIds: ['user-1', ''], msgKey: 'sampleText', msgParam: { content: m } }), 'userIds.1'],
      ['unknown msgKey', (m) => ({ userIds: ['user-1'], msgKey: 'sampleTelegram', msgParam: { content: m } }), 'msgKey'],
      ['msgParam missing a field', (m) => ({ userIds: ['user-1'], msgKey: 'sampleMarkdown', msgParam: { title: m } }), 'msgParam.text'],
      ['msgParam not an object', (m) => ({ userIds: ['user-1'], msgKey: 'sampleText', msgParam: `{"content":"${m}"}` }), 'msgParam'],
      ['an extra field', (m) => ({ userIds: ['user-1'], msgKey: 'sampleText', msgParam: { content: m }, priority: 'high' }), 'priority'],
      ['an unknown delivery policy', (m) => ({ userIds: ['user-1'], msgKey: 'sampleText', msgParam: { content: m }, deliveryPolicy: 'twice' }), 'deliveryPolicy'],
    ];

    it.each(cases)('%s', async (_name, body, field) => {
      const m = marker();
      const res = await http().post('/v1/sends').send(body(m) as object).expect(400);
      expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', requestId: expect.any(String) });
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(await sendsWithMarker(m)).toBe(0);
    });

    it('a body that is not JSON → 400 MALFORMED_JSON', async () => {
      const res = await http().post('/v1/sends').set('Content-Type', 'application/json').send('{"userIds": [').expect(400);
      expect(res.body).toMatchObject({ code: 'MALFORMED_JSON', status: 400 });
    });

    it('a JSON array body → 400', async () => {
      const res = await http().post('/v1/sends').send([{ userIds: ['user-1'] }]).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it('a body in another format → 415', async () => {
      const res = await http().post('/v1/sends').set('Content-Type', 'text/plain').send('userIds=user-1').expect(415);
      expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('a body over the size limit → 413', async () => {
      const m = marker();
      const huge = { userIds: ['user-1'], msgKey: 'sampleText', msgParam: { content: `${m}${'x'.repeat(9 * 1024 * 1024)}` } };
      const res = await http().post('/v1/sends').send(huge).expect(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await sendsWithMarker(m)).toBe(0);
    });
  });
});

describe('a 100,000-recipient send', () => {
  let api: INestApplication;
  let db: DataSource;
  // No worker listens on this prefix: the test is about acceptance and recording, not delivery.
  const prefix = uniqueQueuePrefix('api-100k');

  beforeAll(async () => {
    api = await startTestApi({ queuePrefix: prefix, robotCode: APP.robotCode });
    db = await openTestDataSource();
  });

  afterAll(async () => {
    await api?.close();
    await db?.destroy();
    await deleteQueuePrefix(prefix);
  });

  it('is accepted in one request and recorded as 100,000 recipients in 5,000 batches with 5,000 jobs', async () => {
    const userIds = Array.from({ length: 100_000 }, (_, i) => `staff${String(i).padStart(6, '0')}`);
    const res = await apiRequest(api)
      .post('/v1/sends')
      .send({ userIds, msgKey: 'sampleText', msgParam: { content: 'all hands at 10:00' } })
      .expect(202);
    expect(res.body).toMatchObject({ recipients: { accepted: 100_000, duplicatesRemoved: 0 }, batches: 5_000 });

    const [counts] = await db.query(
      `SELECT (SELECT count(*)::int FROM recipients WHERE send_id = $1) AS recipients,
              (SELECT count(DISTINCT user_id)::int FROM recipients WHERE send_id = $1) AS users,
              (SELECT count(*)::int FROM batches WHERE send_id = $1) AS batches,
              (SELECT max(cardinality(user_ids))::int FROM batches WHERE send_id = $1) AS widest,
              (SELECT count(*)::int FROM recipients r JOIN batches b ON b.id = r.batch_id
                WHERE r.send_id = $1 AND r.user_id = ANY(b.user_ids)) AS consistent`,
      [res.body.id],
    );
    expect(counts).toEqual({ recipients: 100_000, users: 100_000, batches: 5_000, widest: 20, consistent: 100_000 });

    const queue = api.get<Queue>(getQueueToken('deliver-batch'));
    expect(await queue.getWaitingCount()).toBe(5_000);
    const firstBatch: { id: string }[] = await db.query(`SELECT id FROM batches WHERE send_id = $1 AND seq = 0`, [res.body.id]);
    // Ids only, and the request that enqueued it (for the worker's log lines).
    expect((await queue.getJob(firstBatch[0]!.id))?.data).toEqual({ batchId: firstBatch[0]!.id, requestId: res.headers['x-request-id'] });

    const status = await apiRequest(api).get(`/v1/sends/${res.body.id}`).expect(200);
    expect(status.body).toMatchObject({ status: 'accepted', recipients: { total: 100_000, pending: 100_000 }, batches: { total: 5_000, remaining: 5_000 } });

    // Leave no open batches behind in the shared test database for another suite's reconciler to find.
    const cancel = await apiRequest(api).post(`/v1/sends/${res.body.id}/cancel`).expect(200);
    expect(cancel.body).toMatchObject({ cancelled: 100_000, inFlight: 0, send: { status: 'cancelled' } });
    // Seconds alone; far more while the crash suite's processes share the two cores (over 120 s once in CI).
  }, 300_000);
});
