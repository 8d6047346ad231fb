import { randomBytes } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import type { SendHistoryItem } from '@dingrelay/contracts';
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
import type { DataSource } from 'typeorm';
import { parseCsv } from './support/history-fixtures.js';
import { apiRequest, createTestApiKey, ensureTestChatConfiguration, startTestApi } from './support/test-api.js';

const run = randomBytes(3).toString('hex');
// The configuration's first app and the app it is re-created with: both real to the simulator, so a call made with
// the wrong one would go through and be seen.
const OLD_APP = { appKey: `gen-old-${run}`, appSecret: `gen-old-secret-${randomBytes(8).toString('hex')}`, robotCode: `gen-old-robot-${run}` };
const NEW_APP = { appKey: `gen-new-${run}`, appSecret: `gen-new-secret-${randomBytes(8).toString('hex')}`, robotCode: `gen-new-robot-${run}` };
const X = `recreated-${run}`;
const OTHER = `recreated-other-${run}`;

/**
 * Issue #13, finding 9c: a chat configuration deleted and re-created under the same name is another configuration.
 * Before, the name was all that tied sends, sender scopes and Idempotency-Keys to a configuration, so the new one
 * inherited the old one's: (a) keys scoped to the old one could send through the new one; (b) the new one's senders
 * read the old one's sends; (c) an Idempotency-Key of an old send replayed (or refused) through the new one; (d) a
 * recall of an old send would have used the new one's app; (e) nothing in the history told them apart.
 */
describe('a chat configuration deleted and re-created under the same name', () => {
  let sim: DingTalkSimulator;
  let api: INestApplication;
  let worker: INestApplicationContext;
  let db: DataSource;
  const prefix = uniqueQueuePrefix('recreated-configuration');
  const key = { old: { id: '', key: '' }, onlyX: { id: '', key: '' }, fresh: { id: '', key: '' } };
  const idempotencyKey = `order-${run}`;
  const users = (from: number, count: number) => Array.from({ length: count }, (_, i) => `gen-${run}-${from + i}`);
  const body = { userIds: users(1, 30), msgKey: 'sampleText', msgParam: { content: `generations ${run}` }, chatConfiguration: X };
  let oldSend: string;
  let oldConfigurationId: string;
  let newConfigurationId: string;
  let oldKeys: string[];

  const http = (as?: string) => apiRequest(api, as);
  const create = (app: typeof OLD_APP) =>
    http()
      .post('/v1/chat-configurations')
      .send({ name: X, type: 'DingTalk', configuration: { clientId: app.appKey, clientSecret: app.appSecret, robotCode: app.robotCode } });
  const completed = (id: string) =>
    waitFor(() => http().get(`/v1/sends/${id}`).then((r) => r.body), (s) => s.status === 'completed', { timeoutMs: 20_000 });
  const idOf = async (name: string): Promise<string> =>
    ((await db.query(`SELECT id FROM chat_configurations WHERE name = $1`, [name])) as { id: string }[])[0]!.id;
  const sendRows = (): Promise<{ id: string; chat_configuration_id: string | null; idempotency_key: string | null }[]> =>
    db.query(`SELECT id, chat_configuration_id, idempotency_key FROM sends WHERE chat_configuration = $1 ORDER BY created_at`, [X]);

  beforeAll(async () => {
    const databaseUrl = await prepareTestDatabase();
    sim = await startDingTalkSimulator({ apps: [OLD_APP, NEW_APP], users: { pattern: `^gen-${run}-\\d+$` } });
    api = await startTestApi({ queuePrefix: prefix, robotCode: 'not-used-here' });
    // Nothing pinned: the worker reads both configurations from the table, as in production.
    worker = await startTestDeliveryWorker({ databaseUrl, redisUrl: testRedisUrl(), queuePrefix: prefix, dingtalkBaseUrl: sim.url });
    db = await openTestDataSource();

    // The first X, a key scoped to it (and to another configuration), a delivered send with an Idempotency-Key.
    expect((await create(OLD_APP)).status).toBe(201);
    oldConfigurationId = await idOf(X);
    await ensureTestChatConfiguration(api, OTHER);
    key.old = await createTestApiKey(api, { role: 'sender', name: `gen-old-${run}`, chatConfigurations: [X, OTHER] });
    key.onlyX = await createTestApiKey(api, { role: 'sender', name: `gen-only-x-${run}`, chatConfigurations: [X] });
    const sent = await http(key.old.key).post('/v1/sends').set('Idempotency-Key', idempotencyKey).send(body).expect(202);
    oldSend = sent.body.id;
    expect((await completed(oldSend)).recipients).toMatchObject({ total: 30, delivered: 30 });
    oldKeys = sim.ledger.allCalls().filter((c) => c.appKey === OLD_APP.appKey).map((c) => c.processQueryKey);
    expect(oldKeys).toHaveLength(2);

    // Deleted, and re-created under its name with another app.
    const deleted = await http().delete(`/v1/chat-configurations/${X}`).set('X-Request-Id', `gen-delete-${run}`);
    expect(deleted.status).toBe(200);
    expect((await create(NEW_APP)).status).toBe(201);
    newConfigurationId = await idOf(X);
    expect(newConfigurationId).not.toBe(oldConfigurationId);
    key.fresh = await createTestApiKey(api, { role: 'sender', name: `gen-fresh-${run}`, chatConfigurations: [X] });
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sim?.close();
    await db?.destroy();
    await deleteQueuePrefix(prefix);
  });

  describe('(a) keys scoped to the old configuration', () => {
    it('lose its name at the delete, recorded in its audit event; a key left with none may use nothing', async () => {
      const [event]: { details: { id: string; apiKeysUnscoped: number; apiKeyIds: string[] } }[] = await db.query(
        `SELECT details FROM audit_events WHERE request_id = $1 AND action = 'chat-configuration.delete'`,
        [`gen-delete-${run}`],
      );
      expect(event!.details).toMatchObject({ id: oldConfigurationId, apiKeysUnscoped: 2, apiKeyIds: [key.old.id, key.onlyX.id].sort() });
      const rows: { id: string; chat_configurations: string[] }[] = await db.query(`SELECT id, chat_configurations FROM api_keys WHERE id = ANY($1)`, [
        [key.old.id, key.onlyX.id],
      ]);
      expect(Object.fromEntries(rows.map((r) => [r.id, r.chat_configurations]))).toEqual({ [key.old.id]: [OTHER], [key.onlyX.id]: [] });

      expect((await http(key.old.key).get('/v1/api-keys/current').expect(200)).body.chatConfigurations).toEqual([OTHER]);
      expect((await http(key.onlyX.key).get('/v1/api-keys/current').expect(200)).body.chatConfigurations).toEqual([]);
      // An empty scope is no configuration, not every one: nothing to list, nothing to send through.
      expect((await http(key.onlyX.key).get('/v1/sends').expect(200)).body.items).toEqual([]);
      expect((await http(key.onlyX.key).post('/v1/sends').send({ ...body, chatConfiguration: undefined })).status).toBe(403);
    });

    it('cannot send through the new one (403, nothing written), nor read the old send', async () => {
      const before = (await sendRows()).length;
      for (const k of [key.old.key, key.onlyX.key]) {
        const refused = await http(k).post('/v1/sends').send({ ...body, userIds: users(100, 2) });
        expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
        expect((await http(k).get(`/v1/sends/${oldSend}`)).status).toBe(403);
      }
      expect((await http(key.old.key).get('/v1/sends').query({ chatConfiguration: X })).status).toBe(403);
      expect(await sendRows()).toHaveLength(before);
      expect(sim.ledger.allCalls().filter((c) => c.delivered.some((u) => users(100, 2).includes(u)))).toEqual([]);
    });
  });

  describe('(b) senders of the new configuration', () => {
    it('do not see the old send: 404 on it, absent from listings, recipients and statistics', async () => {
      const as = http(key.fresh.key);
      for (const path of [`/v1/sends/${oldSend}`, `/v1/sends/${oldSend}/recipients`, `/v1/sends/${oldSend}/events`]) {
        const res = await http(key.fresh.key).get(path);
        expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 404, code: 'NOT_FOUND' });
      }
      expect((await as.post(`/v1/sends/${oldSend}/cancel`)).status).toBe(404);
      const listed = (await http(key.fresh.key).get('/v1/sends').query({ chatConfiguration: X }).expect(200)).body.items as SendHistoryItem[];
      expect(listed.map((s) => s.id)).not.toContain(oldSend);
      expect(((await http(key.fresh.key).get('/v1/sends').expect(200)).body.items as SendHistoryItem[]).map((s) => s.id)).not.toContain(oldSend);
      const received = await http(key.fresh.key).get('/v1/recipients').query({ userId: users(1, 1)[0]! }).expect(200);
      expect(received.body.items).toEqual([]);
      const range = { createdFrom: new Date(Date.now() - 3_600_000).toISOString(), createdTo: new Date(Date.now() + 3_600_000).toISOString() };
      const stats = await http(key.fresh.key).get('/v1/stats/sends').query({ ...range, interval: 'hour', chatConfiguration: X }).expect(200);
      const adminStats = await http().get('/v1/stats/sends').query({ ...range, interval: 'hour', chatConfiguration: X }).expect(200);
      expect(adminStats.body.recipients.total - stats.body.recipients.total).toBe(30);
    });
  });

  describe('(c) the old send\'s Idempotency-Key through the new configuration', () => {
    it('makes a new send (not a replay of the old one), which then replays itself', async () => {
      const first = await http(key.fresh.key).post('/v1/sends').set('Idempotency-Key', idempotencyKey).send(body);
      expect(first.status).toBe(202);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const newSend = first.body.id as string;
      expect(newSend).not.toBe(oldSend);
      expect(await sendRows()).toEqual([
        { id: oldSend, chat_configuration_id: oldConfigurationId, idempotency_key: idempotencyKey },
        { id: newSend, chat_configuration_id: newConfigurationId, idempotency_key: idempotencyKey },
      ]);
      const again = await http(key.fresh.key).post('/v1/sends').set('Idempotency-Key', idempotencyKey).send(body).expect(202);
      expect({ id: again.body.id, replayed: again.headers['idempotent-replayed'] }).toEqual({ id: newSend, replayed: 'true' });
      // Another body with that key: a 409 naming the new send, never the old one.
      const conflict = await http(key.fresh.key).post('/v1/sends').set('Idempotency-Key', idempotencyKey).send({ ...body, userIds: users(1, 2) });
      expect(conflict.status).toBe(409);
      expect(conflict.body.message).toContain(newSend);
      expect(conflict.body.message).not.toContain(oldSend);

      // Delivered through the new app only, though the worker had the old one cached a moment before (5 s).
      expect((await completed(newSend)).recipients).toMatchObject({ total: 30, delivered: 30 });
      const calls = sim.ledger.allCalls().filter((c) => c.delivered.some((u) => body.userIds.includes(u)));
      expect(calls.map((c) => c.appKey).sort()).toEqual([OLD_APP.appKey, OLD_APP.appKey, NEW_APP.appKey, NEW_APP.appKey].sort());
    });
  });

  describe('(d) recall and read status of the old send', () => {
    it('are refused with a 409 naming the deletion, audited, and DingTalk is never called', async () => {
      for (const [path, action] of [
        [`/v1/sends/${oldSend}/recall`, 'send.recall'],
        [`/v1/sends/${oldSend}/read-status/refresh`, 'send.read-status.refresh'],
      ] as const) {
        const requestId = `gen-${action}-${run}`;
        const res = await http().post(path).set('X-Request-Id', requestId);
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 409, code: 'CONFLICT' });
        expect(res.body.message).toBe(
          `Send ${oldSend} went through chat configuration ${X}, which has been deleted since; a configuration now named ${X}, if any, is another one, and never acts on this send`,
        );
        const events: { outcome: string; code: string }[] = await db.query(
          `SELECT outcome, details->>'errorCode' AS code FROM audit_events WHERE request_id = $1 AND action = $2`,
          [requestId, action],
        );
        expect(events).toEqual([{ outcome: 'failed', code: 'CONFLICT' }]);
      }
      const [row]: { recall_requested_at: Date | null }[] = await db.query(`SELECT recall_requested_at FROM sends WHERE id = $1`, [oldSend]);
      expect(row!.recall_requested_at).toBeNull();
      expect(sim.recalls().filter((r) => r.processQueryKeys.some((k) => oldKeys.includes(k)))).toEqual([]);
      expect(sim.readStatusCalls().filter((c) => oldKeys.includes(c.processQueryKey))).toEqual([]);
    });
  });

  describe('(e) the history', () => {
    it('shows both sends under the name, the old one marked as through a deleted configuration', async () => {
      const old = (await http().get(`/v1/sends/${oldSend}`).expect(200)).body;
      expect(old).toMatchObject({ chatConfiguration: X, chatConfigurationId: oldConfigurationId, chatConfigurationDeleted: true, robotCode: OLD_APP.robotCode });
      const listed = (await http().get('/v1/sends').query({ chatConfiguration: X }).expect(200)).body.items as SendHistoryItem[];
      expect(listed.map((s) => [s.id === oldSend ? 'old' : 'new', s.chatConfigurationId, s.chatConfigurationDeleted])).toEqual([
        ['new', newConfigurationId, false],
        ['old', oldConfigurationId, true],
      ]);
      const csv = await http().get('/v1/exports/sends').query({ chatConfiguration: X }).buffer(true).expect(200);
      const [header, ...rows] = parseCsv(csv.text);
      expect(header!.slice(-2)).toEqual(['chatConfigurationId', 'chatConfigurationDeleted']);
      expect(rows.map((r) => [r[0], ...r.slice(-2)])).toEqual([
        [listed[0]!.id, newConfigurationId, 'false'],
        [oldSend, oldConfigurationId, 'true'],
      ]);
    });
  });

  describe('bad input stays a 4xx', () => {
    it('a key for a deleted name, a delete of it, and an unknown send are refused as before', async () => {
      await http().delete(`/v1/chat-configurations/${OTHER}`).expect(200);
      const scoped = await http().post('/v1/api-keys').send({ name: `gen-bad-${run}`, role: 'sender', chatConfigurations: [OTHER] });
      expect({ status: scoped.status, details: scoped.body.details }).toEqual({
        status: 400,
        details: [{ field: 'chatConfigurations[0]', message: expect.stringContaining(OTHER) }],
      });
      expect((await http().delete(`/v1/chat-configurations/${OTHER}`)).status).toBe(404);
      // The old key has no configuration left at all now.
      expect((await http(key.old.key).get('/v1/api-keys/current').expect(200)).body.chatConfigurations).toEqual([]);
      expect((await http().post('/v1/sends/not-a-uuid/recall')).status).toBe(404);
      expect((await http().get('/v1/sends').query({ chatConfiguration: '' })).status).toBe(400);
    });
  });
});
