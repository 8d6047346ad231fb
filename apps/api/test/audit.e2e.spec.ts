import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { startDingTalkSimulator, type DingTalkSimulator } from '@dingrelay/dingtalk-sim';
import { AuditTrail, PurgeRecipientDetailUseCase, systemActor } from '@dingrelay/domain';
import {
  deleteQueuePrefix,
  openTestDataSource,
  prepareTestDatabase,
  startTestDeliveryWorker,
  testRedisUrl,
  uniqueQueuePrefix,
  waitFor,
} from '@dingrelay/testing';
import { DataSource } from 'typeorm';
import { apiRequest, createTestApiKey, startTestApi } from './support/test-api.js';

const APP = { appKey: 'audit-app', appSecret: 'audit-secret', robotCode: 'audit-robot' };

/**
 * The audit log and the send timeline through the API: what a create and a cancel record, what a refused cancel
 * records, the audit-events filters and pages, and how a send reads once retention purged its recipients.
 */
describe('audit log, requester, timeline and retention (API)', () => {
  let sim: DingTalkSimulator;
  let api: INestApplication;
  let worker: INestApplicationContext;
  let db: DataSource;
  let sender: { id: string; key: string };
  const prefix = uniqueQueuePrefix('api-audit');
  let seq = 0;

  beforeAll(async () => {
    const databaseUrl = await prepareTestDatabase();
    sim = await startDingTalkSimulator({ apps: [APP], users: { pattern: '^au-\\d+$' } });
    api = await startTestApi({ queuePrefix: prefix, robotCode: APP.robotCode });
    worker = await startTestDeliveryWorker({
      databaseUrl,
      redisUrl: testRedisUrl(),
      queuePrefix: prefix,
      dingtalkBaseUrl: sim.url,
      chatConfigurations: [{ name: 'default', ...APP }],
    });
    db = await openTestDataSource();
    sender = await createTestApiKey(api, { role: 'sender', name: `audit-sender-${prefix.slice(-8)}`, chatConfigurations: ['default'] });
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sim?.close();
    await db?.destroy();
    await deleteQueuePrefix(prefix);
  });

  const users = (n: number) => Array.from({ length: n }, () => `au-${Date.now() % 1_000_000}${(seq += 1)}`);
  const body = (n: number) => ({ userIds: users(n), msgKey: 'sampleText', msgParam: { content: 'audit' } });
  const auditOf = async (targetId: string, action: string) =>
    (await apiRequest(api).get('/v1/audit-events').query({ targetType: 'send', targetId, action }).expect(200)).body.items;

  describe('what create and cancel record', () => {
    it('create: one succeeded event with the key, role and request id; the send names its requester', async () => {
      const created = await apiRequest(api, sender.key).post('/v1/sends').set('X-Request-Id', `req-create-${prefix.slice(-8)}`).send(body(3)).expect(202);
      const id = created.body.id as string;

      const [event, ...more] = await auditOf(id, 'send.create');
      expect(more).toEqual([]);
      expect(event).toMatchObject({
        id: expect.stringMatching(/^\d+$/),
        actor: { apiKeyId: sender.id, name: `audit-sender-${prefix.slice(-8)}`, role: 'sender' },
        action: 'send.create',
        target: { type: 'send', id },
        requestId: `req-create-${prefix.slice(-8)}`,
        outcome: 'succeeded',
        details: { recipients: 3, batches: 1, deliveryPolicy: 'at-least-once' },
      });
      expect(Date.now() - Date.parse(event.occurredAt)).toBeLessThan(60_000);

      const status = (await apiRequest(api).get(`/v1/sends/${id}`).expect(200)).body;
      expect(status.requestedBy).toEqual({ apiKeyId: sender.id, name: `audit-sender-${prefix.slice(-8)}` });
      expect(status.recipientsPurgedAt).toBeNull();
      const [row] = await db.query(`SELECT requested_by_key_id, requested_by FROM sends WHERE id = $1`, [id]);
      expect(row).toEqual({ requested_by_key_id: sender.id, requested_by: `audit-sender-${prefix.slice(-8)}` });
    });

    it('cancel: a succeeded event with what it cancelled; the timeline reads accepted, cancelled, completed', async () => {
      const { id } = (await apiRequest(api).post('/v1/sends').send(body(45)).expect(202)).body;
      // The cancel races the worker: whatever it cancelled, the audit event and the timeline must say the same.
      const cancel = await apiRequest(api).post(`/v1/sends/${id}/cancel`).set('X-Request-Id', 'req-cancel-1').expect(200);

      const [event] = await auditOf(id, 'send.cancel');
      expect(event).toMatchObject({
        actor: { name: 'test-admin', role: 'admin' },
        requestId: 'req-cancel-1',
        outcome: 'succeeded',
        details: { cancelledRecipients: cancel.body.cancelled, inFlightRecipients: cancel.body.inFlight },
      });

      const timeline = await waitFor(
        async () => (await apiRequest(api).get(`/v1/sends/${id}/events`).expect(200)).body,
        (page) => page.items.some((e: { type: string }) => e.type === 'send.completed'),
        { description: 'the cancelled send to complete' },
      );
      const types: string[] = timeline.items.map((e: { type: string }) => e.type);
      expect(types[0]).toBe('accepted');
      expect(types.indexOf('send.cancelled')).toBeGreaterThan(0);
      expect(types.at(-1)).toBe('send.completed');
      expect(timeline.items.find((e: { type: string }) => e.type === 'send.cancelled').details).toMatchObject({
        cancelledRecipients: cancel.body.cancelled,
        by: 'test-admin',
      });

      // Paged one at a time, in either spelling, the same events in the same order.
      const paged: unknown[] = [];
      let token: string | undefined;
      do {
        const query: Record<string, string | number> = token ? { MaxResults: 1, NextToken: token } : { maxResults: 1 };
        const page = (await apiRequest(api).get(`/v1/sends/${id}/events`).query(query).expect(200)).body;
        expect(page.items.length).toBeLessThanOrEqual(1);
        paged.push(...page.items);
        token = page.nextToken ?? undefined;
      } while (token);
      expect(paged).toEqual(timeline.items);
    });

    it('a refused cancel (already completed → 409) leaves a failed event with the error code, and changes nothing', async () => {
      const { id } = (await apiRequest(api).post('/v1/sends').send(body(2)).expect(202)).body;
      await waitFor(
        async () => (await apiRequest(api).get(`/v1/sends/${id}`).expect(200)).body,
        (s) => s.status === 'completed',
        { description: 'the send to be delivered' },
      );

      const refused = await apiRequest(api, sender.key).post(`/v1/sends/${id}/cancel`).set('X-Request-Id', 'req-refused').expect(409);
      expect(refused.body.code).toBe('CONFLICT');

      const events = await auditOf(id, 'send.cancel');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        actor: { apiKeyId: sender.id, role: 'sender' },
        requestId: 'req-refused',
        outcome: 'failed',
        details: { errorCode: 'CONFLICT', message: expect.stringContaining('already completed') },
      });
      const [row] = await db.query(`SELECT cancelled_at FROM sends WHERE id = $1`, [id]);
      expect(row.cancelled_at).toBeNull();
      const types = (await apiRequest(api).get(`/v1/sends/${id}/events`).expect(200)).body.items.map((e: { type: string }) => e.type);
      expect(types).not.toContain('send.cancelled');
    });

    it('cancel of an unknown send: 404 and a failed event naming it', async () => {
      const unknown = '00000000-0000-4000-8000-00000000a0d1';
      await apiRequest(api).post(`/v1/sends/${unknown}/cancel`).expect(404);
      const failed = (await apiRequest(api).get('/v1/audit-events').query({ targetId: unknown, outcome: 'failed' }).expect(200)).body.items;
      expect(failed[0]).toMatchObject({ action: 'send.cancel', outcome: 'failed', details: { errorCode: 'NOT_FOUND' } });
    });
  });

  describe('GET /v1/audit-events', () => {
    it('filters by action, actor key, target, outcome and time range', async () => {
      // The database's clock (it stamps the events), to the microsecond, as ISO-8601 with an offset.
      const [{ from }]: { from: string }[] = await db.query(`SELECT to_json(clock_timestamp()) #>> '{}' AS "from"`);
      const a = (await apiRequest(api, sender.key).post('/v1/sends').send(body(1)).expect(202)).body.id;
      const b = (await apiRequest(api).post('/v1/sends').send(body(1)).expect(202)).body.id;
      await apiRequest(api).post(`/v1/sends/${b}/cancel`).expect(200);
      const to = new Date(Date.now() + 1_000).toISOString();

      const list = async (query: Record<string, string>) =>
        (await apiRequest(api).get('/v1/audit-events').query({ from, to, ...query }).expect(200)).body.items as {
          action: string;
          target: { id: string };
          actor: { apiKeyId: string };
        }[];

      const bySender = await list({ actorKeyId: sender.id });
      expect(bySender.map((e) => [e.action, e.target.id])).toEqual([['send.create', a]]);
      const cancels = await list({ action: 'send.cancel' });
      expect(cancels.map((e) => e.target.id)).toEqual([b]);
      const ofB = await list({ targetType: 'send', targetId: b });
      expect(ofB.map((e) => e.action)).toEqual(['send.cancel', 'send.create']);
      expect(await list({ targetId: b, outcome: 'failed' })).toEqual([]);
      // A range that ends before these events holds none of them.
      const before = (await apiRequest(api).get('/v1/audit-events').query({ to: from, targetId: a }).expect(200)).body.items;
      expect(before).toEqual([]);
    });

    it.each([
      [{ from: '2026-13-01T00:00:00Z' }, 'from'],
      [{ to: 'yesterday' }, 'to'],
      [{ from: '2026-11-01T00:00:00' }, 'from'],
      [{ outcome: 'maybe' }, 'outcome'],
      [{ actorKeyId: 'not-a-uuid' }, 'actorKeyId'],
      [{ maxResults: '0' }, 'maxResults'],
      [{ MaxResults: '1001' }, 'MaxResults'],
      [{ nextToken: 'garbage' }, 'nextToken'],
      [{ unknownFilter: 'x' }, 'unknownFilter'],
    ])('rejects %j with 400 naming %s', async (query, field) => {
      const res = await apiRequest(api).get('/v1/audit-events').query(query).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('pages newest first without skipping or repeating an event while new events arrive', async () => {
      // A target of its own, so the pages hold exactly the events this test writes.
      const target = `paging-${prefix.slice(-8)}`;
      const trail = api.get(AuditTrail);
      const dataSource = api.get(DataSource);
      const write = async (n: number) => {
        for (let i = 0; i < n; i += 1) {
          await trail.record(dataSource.manager, { actor: systemActor('test'), action: 'test.paging', targetType: 'test', targetId: target });
        }
      };
      await write(25);

      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const query: Record<string, string | number> = { targetType: 'test', targetId: target, MaxResults: 7 };
        if (token) query['NextToken'] = token;
        const page = (await apiRequest(api).get('/v1/audit-events').query(query).expect(200)).body;
        seen.push(...page.items.map((e: { id: string }) => e.id));
        token = page.nextToken ?? undefined;
        pages += 1;
        // New events keep arriving between pages: they are newer than the first page and must not shift the rest.
        await write(3);
      } while (token);

      expect(pages).toBe(4);
      expect(seen).toHaveLength(25);
      expect(new Set(seen).size).toBe(25);
      const numeric = seen.map(BigInt);
      expect(numeric.every((id, i) => i === 0 || id < numeric[i - 1]!)).toBe(true);
      // A fresh first page starts with the newest of them all.
      const fresh = (await apiRequest(api).get('/v1/audit-events').query({ targetId: target, maxResults: 1 }).expect(200)).body;
      expect(BigInt(fresh.items[0].id)).toBeGreaterThan(numeric[0]!);
      // A token only replays the query it came from.
      const first = (await apiRequest(api).get('/v1/audit-events').query({ targetId: target, maxResults: 1 }).expect(200)).body;
      const other = await apiRequest(api).get('/v1/audit-events').query({ targetId: 'other', nextToken: first.nextToken }).expect(400);
      expect(other.body.details).toEqual([{ field: 'nextToken', message: expect.stringContaining('different query') }]);
    });
  });

  describe('after retention', () => {
    it('GET /v1/sends/:id keeps the counts and says when it was purged; the recipients answer 410', async () => {
      const { id } = (await apiRequest(api).post('/v1/sends').send(body(4)).expect(202)).body;
      await waitFor(
        async () => (await apiRequest(api).get(`/v1/sends/${id}`).expect(200)).body,
        (s) => s.status === 'completed',
        { description: 'the send to be delivered' },
      );
      await db.query(`UPDATE sends SET created_at = now() - interval '500 days' WHERE id = $1`, [id]);

      const purge = new PurgeRecipientDetailUseCase(api.get(DataSource), api.get(AuditTrail), {
        recipientRetentionDays: 400,
        intervalMs: 3_600_000,
        chunkRows: 1_000,
      });
      const result = await purge.execute();
      expect(result.sends).toBeGreaterThanOrEqual(1);

      const status = (await apiRequest(api).get(`/v1/sends/${id}`).expect(200)).body;
      expect(status).toMatchObject({ status: 'completed', recipients: { total: 4, delivered: 4, pending: 0 } });
      expect(Date.parse(status.recipientsPurgedAt)).toBeGreaterThan(Date.now() - 60_000);
      const gone = await apiRequest(api).get(`/v1/sends/${id}/recipients`).expect(410);
      expect(gone.body).toMatchObject({ status: 410, code: 'GONE', message: expect.stringContaining('purged') });
      // The timeline and the audit trail of the send are still there.
      const types = (await apiRequest(api).get(`/v1/sends/${id}/events`).expect(200)).body.items.map((e: { type: string }) => e.type);
      expect(types).toEqual(['accepted', 'batch.attempt', 'send.completed']);
      expect(await auditOf(id, 'send.create')).toHaveLength(1);
      const [run] = (await apiRequest(api).get('/v1/audit-events').query({ action: 'retention.purge', maxResults: 1 }).expect(200)).body.items;
      expect(run).toMatchObject({ actor: { apiKeyId: null, name: 'system:retention', role: null }, outcome: 'succeeded' });
      expect(run.details).toMatchObject({ retentionDays: 400, sends: result.sends, recipients: result.recipients });
    });
  });

  describe('GET /v1/audit-events/verify', () => {
    const head = async () => (await apiRequest(api).get('/v1/audit-events/verify').expect(200)).body.head as { position: number; hash: string };

    it('finds the chain intact, every event checked from the first; auditors may ask, senders may not', async () => {
      await apiRequest(api).post('/v1/sends').send(body(1)).expect(202);
      const res = await apiRequest(api).get('/v1/audit-events/verify').expect(200);
      expect(res.body).toMatchObject({ intact: true, firstBroken: null, digest: null, head: { position: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
      // Others' suites append meanwhile: at least every event up to the head it read first.
      expect(res.body.checked).toBeGreaterThanOrEqual(res.body.head.position);
      const auditor = await createTestApiKey(api, { role: 'auditor', name: `audit-verifier-${prefix.slice(-8)}` });
      await apiRequest(api, auditor.key).get('/v1/audit-events/verify').expect(200);
      await apiRequest(api, sender.key).get('/v1/audit-events/verify').expect(403);
    });

    it('holds the chain to a digest: the same hash at its count passes, another hash or a count beyond the chain fails', async () => {
      const { position, hash } = await head();
      const same = await apiRequest(api).get('/v1/audit-events/verify').query({ digestCount: position, digestHash: hash }).expect(200);
      expect(same.body).toMatchObject({ intact: true, digest: { count: position, hash, signature: 'unchecked' } });

      const other = 'f'.repeat(64);
      const rewritten = await apiRequest(api).get('/v1/audit-events/verify').query({ digestCount: position, digestHash: other }).expect(200);
      expect(rewritten.body).toMatchObject({ intact: false, firstBroken: { reason: 'digest', position, expectedHash: other, foundHash: hash } });

      const beyond = 1_000_000_000;
      const truncated = await apiRequest(api).get('/v1/audit-events/verify').query({ digestCount: beyond, digestHash: other }).expect(200);
      expect(truncated.body).toMatchObject({ intact: false, firstBroken: { reason: 'truncated', eventId: null, foundHash: null } });
    });

    it('refuses half a digest, naming the missing field', async () => {
      const res = await apiRequest(api).get('/v1/audit-events/verify').query({ digestHash: '0'.repeat(64) }).expect(400);
      expect(res.body.details).toContainEqual({ field: 'digestCount', message: expect.stringContaining('given with digestHash') });
      expect(new Set(res.body.details.map((d: { field: string }) => d.field))).toEqual(new Set(['digestCount']));
      await apiRequest(api).get('/v1/audit-events/verify').query({ digestCount: 1, digestHash: 'nothex' }).expect(400);
    });
  });
});
