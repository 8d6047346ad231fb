import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { CALLBACK_TEST_VECTORS, computeCallbackSign, DingTalkEventCrypto } from '@dingrelay/dingtalk-client';
import { startDingTalkSimulator, type DingTalkSimulator, type SimAppConfig } from '@dingrelay/dingtalk-sim';
import { ChatConfigurationEntity, decryptSecrets, encryptSecrets, SecretCipher } from '@dingrelay/domain';
import { deleteQueuePrefix, nextCallbackTimestamp, openTestDataSource, RedisServerProcess, testSecretEncryptionKeys, uniqueQueuePrefix, waitFor } from '@dingrelay/testing';
import type { DataSource } from 'typeorm';
import { apiRequest, startTestApi } from './support/test-api.js';

const run = randomBytes(3).toString('hex');
const APP: SimAppConfig = { appKey: `pc-app-${run}`, appSecret: `pc-secret-${run}`, robotCode: `pc-robot-${run}` };
const OTHER_APP: SimAppConfig = { appKey: `pc-other-${run}`, appSecret: `pc-other-secret-${run}`, robotCode: `pc-other-robot-${run}` };
const ENTRY = { name: { zh_CN: '请假', en_US: 'Leave' }, icon: '@lALPDtXaDkO3j7hgYA', pcUrl: 'https://pc.example.test/leave', mobileUrl: 'https://m.example.test/leave' };
const EVENT_VECTOR = CALLBACK_TEST_VECTORS.event;

describe('quick entries and inbound callbacks over HTTP', () => {
  let sim: DingTalkSimulator;
  let api: INestApplication;
  let db: DataSource;
  const prefix = uniqueQueuePrefix('plugins-callbacks');
  const name = (label: string) => `pc-${label}-${run}`;
  const outputs = new Map<string, { aesKey: string; callbackToken: string; url: string }>();

  async function createConfiguration(label: string, body: Record<string, unknown>): Promise<string> {
    const res = await apiRequest(api).post('/v1/chat-configurations').send({ name: name(label), ...body }).expect(201);
    outputs.set(name(label), res.body.outputs);
    return name(label);
  }

  beforeAll(async () => {
    sim = await startDingTalkSimulator({ apps: [APP, OTHER_APP], plugins: { maxPerRobot: 2 } });
    api = await startTestApi({ queuePrefix: prefix, robotCode: APP.robotCode, env: { DINGTALK_BASE_URL: sim.url, DINGTALK_TIMEOUT_MS: '2000' } });
    db = await openTestDataSource();
    const dingtalk = (app: SimAppConfig) => ({ clientId: app.appKey, clientSecret: app.appSecret, robotCode: app.robotCode });
    await createConfiguration('main', { type: 'DingTalk', configuration: dingtalk(APP) });
    await createConfiguration('mismatch', { type: 'DingTalk', configuration: { ...dingtalk(APP), robotCode: OTHER_APP.robotCode } });
    await createConfiguration('inactive', { type: 'DingTalk', status: 'inactive', configuration: dingtalk(APP) });
    await createConfiguration('wechat', { type: 'WeChat' });
  });

  beforeEach(() => sim.reset());

  afterAll(async () => {
    await api?.close();
    await db?.destroy();
    await sim?.close();
    await deleteQueuePrefix(prefix);
  });

  describe('PUT/GET/DELETE /v1/chat-configurations/:name/plugins', () => {
    const path = (label: string) => `/v1/chat-configurations/${name(label)}/plugins`;

    it('sets, reads and clears the quick entries, keeping the applied state and auditing each change', async () => {
      const put = await apiRequest(api).put(path('main')).send({ plugins: [ENTRY] }).expect(200);
      expect(put.body).toMatchObject({ chatConfiguration: name('main'), robotCode: APP.robotCode, applied: { action: 'set', plugins: [ENTRY], appliedBy: 'test-admin' } });
      expect(sim.plugins(APP.robotCode)).toEqual([{ ...ENTRY, name: JSON.stringify(ENTRY.name) }]);

      const got = await apiRequest(api).get(path('main')).expect(200);
      expect(got.body).toEqual({
        chatConfiguration: name('main'),
        robotCode: APP.robotCode,
        dingtalk: { plugins: [ENTRY] },
        lastApplied: { action: 'set', plugins: [ENTRY], appliedAt: put.body.applied.appliedAt, appliedBy: 'test-admin' },
      });

      const cleared = await apiRequest(api).delete(path('main')).expect(200);
      expect(cleared.body.applied).toMatchObject({ action: 'clear', plugins: [] });
      expect(sim.plugins(APP.robotCode)).toEqual([]);

      const audit = await db.query(`SELECT action, outcome, actor_name FROM audit_events WHERE target_id = $1 ORDER BY id`, [name('main')]);
      expect(audit.filter((a: { action: string }) => a.action.startsWith('plugins.'))).toEqual([
        { action: 'plugins.set', outcome: 'succeeded', actor_name: 'test-admin' },
        { action: 'plugins.clear', outcome: 'succeeded', actor_name: 'test-admin' },
      ]);
    });

    it.each([
      ['a name that is not an i18n map', { ...ENTRY, name: 'Leave' }, 'plugins.0.name'],
      ['a name with a bad locale', { ...ENTRY, name: { chinese: '请假' } }, 'plugins.0.name'],
      ['a name with no locale', { ...ENTRY, name: {} }, 'plugins.0.name'],
      ['a missing icon', { name: ENTRY.name, pcUrl: ENTRY.pcUrl }, 'plugins.0.icon'],
      ['a non-https URL', { ...ENTRY, mobileUrl: 'http://m.example.test/leave' }, 'plugins.0.mobileUrl'],
    ])('refuses %s with 400 naming the field, without calling DingTalk', async (_case, entry, field) => {
      const res = await apiRequest(api).put(path('main')).send({ plugins: [entry] }).expect(400);
      expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(sim.stats().requests).toBe(0);
    });

    it.each([
      ['exceededMaximumLimit', 422, 'DINGTALK_REJECTED', 'invalidRequest.exceededMaximumLimit', () => apiRequest(api).put(path('main')).send({ plugins: [ENTRY, ENTRY, ENTRY] })],
      ['robotCodeNotMatch', 422, 'DINGTALK_REJECTED', 'invalidRequest.robotCodeNotMatch', () => apiRequest(api).put(path('mismatch')).send({ plugins: [ENTRY] })],
    ])('maps %s to %i %s with DingTalk code in the details', async (_case, status, code, dingTalkCode, send) => {
      const res = await send().expect(status);
      expect(res.body).toMatchObject({ status, code, details: [{ message: `DingTalk answered ${dingTalkCode}` }] });
    });

    it('maps robotIsStop to 409 and system.error to 503 with Retry-After', async () => {
      sim.configure({ plugins: { maxPerRobot: 2, stoppedRobotCodes: [APP.robotCode] } });
      const stopped = await apiRequest(api).delete(path('main')).expect(409);
      expect(stopped.body).toMatchObject({ code: 'CONFLICT', details: [{ field: 'robotCode', message: 'DingTalk answered invalidRequest.robotIsStop' }] });
      sim.configure({ plugins: { maxPerRobot: 2, stoppedRobotCodes: [] } });
      sim.injectFault({ api: 'pluginsQuery', code: 'system.error' });
      const failed = await apiRequest(api).get(path('main')).expect(503);
      expect(failed.body).toMatchObject({ code: 'DINGTALK_UNAVAILABLE' });
      expect(failed.headers['retry-after']).toBe('1');
    });

    it("answers a throttled call with DingTalk's wait in Retry-After: a minute for a per-minute limit", async () => {
      sim.injectFault({ api: 'pluginsQuery', code: 'Forbidden.AccessDenied.QpmLimitForAppkeyAndApi' });
      const throttled = await apiRequest(api).get(path('main')).expect(503);
      expect(throttled.body).toMatchObject({
        code: 'DINGTALK_UNAVAILABLE',
        details: [{ field: 'dingtalk', message: 'DingTalk answered Forbidden.AccessDenied.QpmLimitForAppkeyAndApi' }],
      });
      expect(throttled.headers['retry-after']).toBe('60');
    });

    it("answers 503 naming the missing key, not 500, when the configuration's secrets cannot be decrypted", async () => {
      const unreadable = await createConfiguration('unreadable', { type: 'DingTalk', configuration: { clientId: APP.appKey, clientSecret: APP.appSecret, robotCode: APP.robotCode } });
      await db.query(`UPDATE chat_configurations SET secret_key_id = 'k-removed' WHERE name = $1`, [unreadable]);
      const res = await apiRequest(api).put(path('unreadable')).send({ plugins: [ENTRY] }).expect(503);
      expect(res.body).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(res.body.message).toContain(`chat configuration ${unreadable}`);
      expect(res.body.message).toContain('k-removed');
      expect(JSON.stringify(res.body)).not.toContain(APP.appSecret);
      expect(sim.stats().requests).toBe(0);
    });

    it.each([
      ['inactive', 409],
      ['wechat', 409],
      ['unknown', 404],
    ])('refuses the %s configuration with %i before calling DingTalk', async (label, status) => {
      await apiRequest(api).put(path(label)).send({ plugins: [ENTRY] }).expect(status);
      expect(sim.stats().requests).toBe(0);
    });
  });

  describe('POST /v1/callbacks/dingtalk/:name', () => {
    const message = (msgId: string, extra: Record<string, unknown> = {}) => ({
      msgtype: 'text',
      text: { content: `hi ${msgId}` },
      msgId,
      createAt: Date.now(),
      conversationType: '1',
      conversationId: `cid-${run}`,
      senderStaffId: `staff-${run}`,
      senderNick: 'Li Si',
      robotCode: APP.robotCode,
      sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=never-stored',
      ...extra,
    });
    const push = (body: unknown, headers: Record<string, string>) => apiRequest(api, null).post(`/v1/callbacks/dingtalk/${name('main')}`).set(headers).send(body as object);
    const signed = (timestamp: number | string = nextCallbackTimestamp()) => ({ timestamp: String(timestamp), sign: computeCallbackSign(String(timestamp), APP.appSecret) });
    const stored = (msgId: string) => db.query(`SELECT msg_id, text_content FROM inbound_messages WHERE chat_configuration = $1 AND msg_id = $2`, [name('main'), msgId]);

    it('stores a signed message without an API key, and a re-push once, answering both alike', async () => {
      const msgId = `msg-ok-${run}`;
      const first = await push(message(msgId), signed()).expect(200);
      expect(first.body).toEqual({ msgtype: 'empty' });
      const again = await push(message(msgId), signed()).expect(200);
      expect(again.body).toEqual(first.body);
      expect(await stored(msgId)).toEqual([{ msg_id: msgId, text_content: `hi ${msgId}` }]);
    });

    it.each([
      ['a forged sign', () => ({ timestamp: String(Date.now()), sign: computeCallbackSign(String(Date.now()), 'guessed') })],
      ['a stale timestamp', () => signed(Date.now() - 3_600_000 - 60_000)],
      // Within DingTalk's hour, outside dingrelay's default window (CALLBACK_MAX_SKEW_MS, 5 minutes).
      ['a timestamp six minutes old', () => signed(Date.now() - 6 * 60_000)],
      ['a timestamp six minutes ahead', () => signed(Date.now() + 6 * 60_000)],
      ['no sign', () => ({ timestamp: String(Date.now()) })],
    ])('refuses %s with 401 and stores nothing', async (label, headers) => {
      const msgId = `msg-refused-${label.replaceAll(' ', '-')}-${run}`;
      const res = await push(message(msgId), headers()).expect(401);
      expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
      expect(await stored(msgId)).toEqual([]);
    });

    it('answers a signed but malformed payload with 400 naming the field', async () => {
      const res = await push(message(`msg-bad-${run}`, { conversationId: 7 }), signed()).expect(400);
      expect(res.body.details).toEqual([{ field: 'conversationId', message: 'is required and must be a non-empty string' }]);
    });

    it('refuses a captured signature replayed with another body (401), storing only the original (#13 finding 1)', async () => {
      const headers = signed();
      const original = `msg-captured-${run}`;
      await push(message(original), headers).expect(200);
      const forgeries = [1, 2].map((i) => `msg-forged-${i}-${run}`);
      for (const forged of forgeries) {
        const res = await push(message(forged, { text: { content: 'transfer the budget' } }), headers);
        expect({ status: res.status, body: res.body }).toMatchObject({ status: 401, body: { status: 401, code: 'UNAUTHORIZED', message: 'The callback signature was not accepted' } });
      }
      const rows = await db.query(`SELECT msg_id FROM inbound_messages WHERE chat_configuration = $1 AND msg_id = ANY($2)`, [name('main'), [original, ...forgeries]]);
      expect(rows).toEqual([{ msg_id: original }]);
      // DingTalk sending the very same request again is answered like any re-push.
      await push(message(original), headers).expect(200);
    });

    it('refuses a 7.5 MB signed text with 413 in the error shape, unread and unstored (#13 finding 1)', async () => {
      const msgId = `msg-huge-${run}`;
      const res = await push(message(msgId, { text: { content: 'x'.repeat(7.5 * 1024 * 1024) } }), signed());
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 413, body: { status: 413, code: 'PAYLOAD_TOO_LARGE' } });
      expect(res.body.requestId).toEqual(expect.any(String));
      expect(await stored(msgId)).toEqual([]);
    });

    it('refuses a text over CALLBACK_MAX_TEXT_LENGTH (20,000 characters) with 400 naming text.content', async () => {
      const msgId = `msg-long-${run}`;
      // 20,001 CJK characters: 60 kB of UTF-8, well within the body limit.
      const res = await push(message(msgId, { text: { content: '钉'.repeat(20_001) } }), signed()).expect(400);
      expect(res.body.details).toEqual([{ field: 'text.content', message: 'must be at most 20000 characters' }]);
      expect(await stored(msgId)).toEqual([]);
      const fits = `msg-fits-${run}`;
      await push(message(fits, { text: { content: '钉'.repeat(20_000) } }), signed()).expect(200);
      expect(await stored(fits)).toHaveLength(1);
    });
  });

  describe('POST /v1/callbacks/dingtalk/:name/events', () => {
    it('answers the check_url probe with the encrypted success, using the generated AesKey and token', async () => {
      const { aesKey, callbackToken } = outputs.get(name('main'))!;
      const crypto = new DingTalkEventCrypto(callbackToken, aesKey, APP.appKey);
      const encrypt = crypto.encrypt(JSON.stringify({ EventType: 'check_url' }));
      const timestamp = String(Date.now());
      const res = await apiRequest(api, null)
        .post(`/v1/callbacks/dingtalk/${name('main')}/events?msg_signature=${crypto.signature(timestamp, 'n0nce', encrypt)}&timestamp=${timestamp}&nonce=n0nce`)
        .send({ encrypt })
        .expect(200);
      expect(crypto.decryptFor(res.body.encrypt)).toBe('success');
      expect(res.body.msg_signature).toBe(crypto.signature(timestamp, 'n0nce', res.body.encrypt));
    });

    it("decrypts the spec's §9.4 vector for a configuration holding the vector's secrets", async () => {
      const label = await createConfiguration('vector', {
        type: 'DingTalk',
        configuration: { clientId: EVENT_VECTOR.ownerKey, clientSecret: `vector-secret-${run}`, robotCode: `vector-robot-${run}` },
      });
      // The API generates callback secrets; give this configuration the vector's, the way the app stores them.
      const repo = db.getRepository(ChatConfigurationEntity);
      const row = (await repo.findOneBy({ name: label }))!;
      const cipher = new SecretCipher(testSecretEncryptionKeys());
      encryptSecrets(cipher, row, { ...decryptSecrets(cipher, row), aesKey: EVENT_VECTOR.aesKey, callbackToken: EVENT_VECTOR.token });
      await repo.save(row);

      const crypto = new DingTalkEventCrypto(EVENT_VECTOR.token, EVENT_VECTOR.aesKey, EVENT_VECTOR.ownerKey);
      // The vector's own timestamp is from 2015, far outside the window: refused as stale although correctly signed.
      const asIs = `msg_signature=${EVENT_VECTOR.signature}&timeStamp=${EVENT_VECTOR.timestamp}&nonce=${EVENT_VECTOR.nonce}`;
      await apiRequest(api, null).post(`/v1/callbacks/dingtalk/${label}/events?${asIs}`).send({ encrypt: EVENT_VECTOR.encrypt }).expect(401);
      // The vector's ciphertext, signed now with the vector's token.
      const now = String(Date.now());
      const query = `msg_signature=${crypto.signature(now, EVENT_VECTOR.nonce, EVENT_VECTOR.encrypt)}&timeStamp=${now}&nonce=${EVENT_VECTOR.nonce}`;
      const res = await apiRequest(api, null).post(`/v1/callbacks/dingtalk/${label}/events?${query}`).send({ encrypt: EVENT_VECTOR.encrypt }).expect(200);
      expect(res.body).toMatchObject({ timeStamp: now, nonce: EVENT_VECTOR.nonce });
      expect(crypto.decryptFor(res.body.encrypt)).toBe('success');

      const tampered = await apiRequest(api, null).post(`/v1/callbacks/dingtalk/${label}/events?${query.replace('nEXhMP4r', 'other')}`).send({ encrypt: EVENT_VECTOR.encrypt });
      expect(tampered.status).toBe(401);
    });

    it('accepts a nonce once within the window: the nonce with another push is a 401 replay', async () => {
      const { aesKey, callbackToken } = outputs.get(name('main'))!;
      const crypto = new DingTalkEventCrypto(callbackToken, aesKey, APP.appKey);
      const nonce = `nonce-${run}`;
      const post = (encrypt: string, timestamp: string) =>
        apiRequest(api, null)
          .post(`/v1/callbacks/dingtalk/${name('main')}/events?msg_signature=${crypto.signature(timestamp, nonce, encrypt)}&timestamp=${timestamp}&nonce=${nonce}`)
          .send({ encrypt });
      const first = crypto.encrypt(JSON.stringify({ EventType: 'user_add_org' }));
      const timestamp = String(Date.now());
      await post(first, timestamp).expect(200);
      // DingTalk re-sending the same push: answered alike.
      await post(first, timestamp).expect(200);
      const other = await post(crypto.encrypt(JSON.stringify({ EventType: 'user_leave_org' })), timestamp);
      expect(other.body).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
      // Six minutes old: outside the default window, however well signed.
      const stale = String(Date.now() - 6 * 60_000);
      await apiRequest(api, null)
        .post(`/v1/callbacks/dingtalk/${name('main')}/events?msg_signature=${crypto.signature(stale, 'fresh-nonce', first)}&timestamp=${stale}&nonce=fresh-nonce`)
        .send({ encrypt: first })
        .expect(401);
    });
  });

  describe('GET /v1/inbound-messages', () => {
    it('lists what was pushed with filters and keyset pages', async () => {
      const sender = `lister-${run}`;
      for (let i = 0; i < 3; i++) {
        const ts = nextCallbackTimestamp();
        await apiRequest(api, null)
          .post(`/v1/callbacks/dingtalk/${name('main')}`)
          .set({ timestamp: ts, sign: computeCallbackSign(ts, APP.appSecret) })
          .send({ msgtype: 'text', text: { content: `n${i}` }, msgId: `list-${i}-${run}`, createAt: Date.now(), conversationId: `cid-list-${run}`, senderStaffId: sender })
          .expect(200);
      }
      const first = await apiRequest(api).get(`/v1/inbound-messages?senderStaffId=${sender}&chatConfiguration=${name('main')}&maxResults=2`).expect(200);
      expect(first.body.items.map((m: { msgId: string }) => m.msgId)).toEqual([`list-2-${run}`, `list-1-${run}`]);
      expect(first.body.items[0]).toMatchObject({ chatConfiguration: name('main'), msgtype: 'text', text: 'n2', conversationId: `cid-list-${run}`, senderStaffId: sender });
      const second = await apiRequest(api).get(`/v1/inbound-messages?senderStaffId=${sender}&chatConfiguration=${name('main')}&maxResults=2&nextToken=${first.body.nextToken}`).expect(200);
      expect(second.body).toMatchObject({ items: [{ msgId: `list-0-${run}` }], nextToken: null });
      const none = await apiRequest(api).get(`/v1/inbound-messages?senderStaffId=${sender}&msgtype=picture`).expect(200);
      expect(none.body).toEqual({ items: [], nextToken: null });
      await apiRequest(api).get('/v1/inbound-messages?createdFrom=yesterday').expect(400);
    });
  });

  describe('when Redis (the replay cache) is down', () => {
    let redis: RedisServerProcess;
    let isolated: INestApplication;
    const isolatedPrefix = uniqueQueuePrefix('callbacks-redis-down');

    beforeAll(async () => {
      redis = await RedisServerProcess.start();
      isolated = await startTestApi({ queuePrefix: isolatedPrefix, robotCode: APP.robotCode, env: { REDIS_URL: redis.url } });
    });

    afterAll(async () => {
      await isolated?.close();
      await redis?.stop();
    });

    it('fails closed: a signed push is answered 503 with Retry-After and not stored, then accepted once Redis is back', async () => {
      const headers = { timestamp: nextCallbackTimestamp(), sign: '' };
      headers.sign = computeCallbackSign(headers.timestamp, APP.appSecret);
      const msgId = `msg-redis-down-${run}`;
      const body = { msgtype: 'text', text: { content: 'hi' }, msgId, createAt: Date.now(), conversationId: `cid-${run}` };
      const pushTo = () => apiRequest(isolated, null).post(`/v1/callbacks/dingtalk/${name('main')}`).set(headers).send(body);
      await redis.kill();
      const refused = await pushTo();
      expect({ status: refused.status, code: refused.body.code, retryAfter: refused.headers['retry-after'] }).toEqual({
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
        retryAfter: '1',
      });
      expect(await db.query(`SELECT 1 FROM inbound_messages WHERE msg_id = $1`, [msgId])).toEqual([]);
      await redis.restart();
      // DingTalk pushes the same request again: the refused one left no trace in the cache.
      const accepted = await waitFor(async () => (await pushTo()).status, (status) => status === 200, { timeoutMs: 10_000, intervalMs: 200, description: 'Redis back' });
      expect(accepted).toBe(200);
      expect(await db.query(`SELECT msg_id FROM inbound_messages WHERE msg_id = $1`, [msgId])).toEqual([{ msg_id: msgId }]);
    });
  });
});

