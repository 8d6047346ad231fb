import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CALLBACK_TEST_VECTORS, computeCallbackSign, DingTalkEventCrypto } from '@dingrelay/dingtalk-client';
import { deleteQueuePrefix, openTestDataSource, prepareTestDatabase, testDatabaseUrl, testRedisUrl, uniqueQueuePrefix } from '@dingrelay/testing';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import {
  CallbackUnauthorizedError,
  type ChatConfigurationCredentials,
  ChatConfigurationsModule,
  DatabaseModule,
  DomainError,
  generateSecretEncryptionKey,
  InboundModule,
  InvalidInputError,
  ListInboundMessagesUseCase,
  ReceiveEventUseCase,
  QueueModule,
  ReceiveInboundMessageUseCase,
} from '../src/index.js';

// The spec's vectors; the event vector's ownerKey is the receiver's key, so the configuration's app key is that key.
const { sign: SIGN_VECTOR, event: EVENT_VECTOR } = CALLBACK_TEST_VECTORS;

const suffix = Date.now().toString(36);
const CONFIG: ChatConfigurationCredentials = { name: `inbound-${suffix}`, appKey: 'inbound-app', appSecret: SIGN_VECTOR.appSecret, robotCode: 'inbound-robot' };
const EVENTS: ChatConfigurationCredentials = {
  name: `inbound-events-${suffix}`,
  appKey: EVENT_VECTOR.ownerKey,
  appSecret: 'unused',
  robotCode: 'inbound-events-robot',
  aesKey: EVENT_VECTOR.aesKey,
  callbackToken: EVENT_VECTOR.token,
};
const OTHER_OWNER: ChatConfigurationCredentials = { ...EVENTS, name: `inbound-other-owner-${suffix}`, appKey: 'dingotherapp' };
const VECTOR_NOW = Number(SIGN_VECTOR.timestamp) + 30 * 60 * 1000;
/** DingTalk's own window (spec §9.2), so that the vector's timestamp is within it at VECTOR_NOW. */
const SKEW_MS = 3_600_000;
const EVENT_NOW = Number(EVENT_VECTOR.timestamp) + 60_000;

/** A header pair of its own for each push (the vector's sign can vouch for one message only), within the window. */
let pushes = 0;
function freshSign(): { timestamp: string; sign: string } {
  const timestamp = String(Number(SIGN_VECTOR.timestamp) + ++pushes);
  return { timestamp, sign: computeCallbackSign(timestamp, SIGN_VECTOR.appSecret) };
}

function textMessage(msgId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    msgtype: 'text',
    text: { content: ` hello ${msgId}` },
    msgId,
    createAt: 1577262236000,
    conversationType: '1',
    conversationId: `cid-${suffix}`,
    senderId: '$:LWCP_v1:$abc',
    senderNick: 'Zhang San',
    senderStaffId: `staff-${suffix}`,
    chatbotUserId: '$:LWCP_v1:$bot',
    robotCode: 'inbound-robot',
    isInAtList: true,
    sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=secret-session',
    sessionWebhookExpiredTime: 1577267636000,
    ...overrides,
  };
}

describe('inbound callbacks', () => {
  let app: INestApplicationContext;
  let db: DataSource;
  const prefix = uniqueQueuePrefix('inbound');

  beforeAll(async () => {
    const databaseUrl = await prepareTestDatabase(testDatabaseUrl());
    @Module({
      imports: [
        DatabaseModule.forRoot({ url: databaseUrl, poolSize: 2, applicationName: 'inbound-test', migrate: false }),
        // The configurations' directory as every process has it, with this suite's configurations pinned.
        ChatConfigurationsModule.forRoot({ secretEncryptionKeys: generateSecretEncryptionKey('test'), pinned: [CONFIG, EVENTS, OTHER_OWNER] }),
        // The replay cache lives in Redis, under the queue prefix.
        QueueModule.forRoot({ redisUrl: testRedisUrl(), prefix }),
        InboundModule.forRoot({ callbackMaxSkewMs: SKEW_MS, callbackMaxTextLength: 50 }),
      ],
    })
    class Root {}
    app = await NestFactory.createApplicationContext(Root, { logger: false });
    db = await openTestDataSource(databaseUrl);
  });

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
    await deleteQueuePrefix(prefix);
  });

  const receive = (msgId: string, headers: { timestamp?: string; sign?: string }, nowMs = VECTOR_NOW, payload = textMessage(msgId)) =>
    app.get(ReceiveInboundMessageUseCase).execute({ chatConfiguration: CONFIG.name, timestamp: headers.timestamp, sign: headers.sign, payload, nowMs });
  const rowsOf = (msgId: string) => db.query(`SELECT * FROM inbound_messages WHERE chat_configuration = $1 AND msg_id = $2`, [CONFIG.name, msgId]);
  async function refusal(promise: Promise<unknown>): Promise<DomainError> {
    const err: unknown = await promise.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    return err as DomainError;
  }

  it("accepts the spec's sign vector and stores the §9.1 fields, without the reply webhook", async () => {
    const msgId = `msg-vector-${suffix}`;
    expect(await receive(msgId, SIGN_VECTOR)).toEqual({ msgId, stored: true });
    const [row] = await rowsOf(msgId);
    expect(row).toMatchObject({
      msgtype: 'text',
      text_content: ` hello ${msgId}`,
      conversation_id: `cid-${suffix}`,
      conversation_type: '1',
      sender_staff_id: `staff-${suffix}`,
      sender_nick: 'Zhang San',
      robot_code: 'inbound-robot',
      is_in_at_list: true,
      create_at: new Date(1577262236000),
    });
    expect(JSON.stringify(row)).not.toContain('secret-session');
  });

  it.each([
    ['a forged sign', { timestamp: SIGN_VECTOR.timestamp, sign: computeCallbackSign(SIGN_VECTOR.timestamp, 'not the secret') }, VECTOR_NOW, 'mismatch'],
    ['a stale timestamp (one hour and a millisecond)', SIGN_VECTOR, Number(SIGN_VECTOR.timestamp) + 3_600_001, 'stale'],
    ['a timestamp from the future', SIGN_VECTOR, Number(SIGN_VECTOR.timestamp) - 3_600_001, 'stale'],
    ['no sign', { timestamp: SIGN_VECTOR.timestamp }, VECTOR_NOW, 'missing'],
    ['no headers', {}, VECTOR_NOW, 'missing'],
  ])('refuses %s and stores nothing', async (_case, headers, nowMs, reason) => {
    const msgId = `msg-refused-${reason}-${nowMs}-${suffix}`;
    const err = await refusal(receive(msgId, headers, nowMs));
    expect(err).toBeInstanceOf(CallbackUnauthorizedError);
    expect(err).toMatchObject({ code: 'UNAUTHORIZED', reason });
    expect(await rowsOf(msgId)).toEqual([]);
  });

  it('refuses a configuration that does not exist like a bad signature', async () => {
    const err = await refusal(
      app.get(ReceiveInboundMessageUseCase).execute({ chatConfiguration: `nope-${suffix}`, timestamp: SIGN_VECTOR.timestamp, sign: SIGN_VECTOR.sign, payload: textMessage('x'), nowMs: VECTOR_NOW }),
    );
    expect(err).toMatchObject({ code: 'UNAUTHORIZED', message: 'The callback signature was not accepted' });
  });

  it('stores a re-pushed msgId once and answers it the same', async () => {
    const msgId = `msg-repush-${suffix}`;
    expect(await receive(msgId, freshSign())).toEqual({ msgId, stored: true });
    expect(await receive(msgId, freshSign(), VECTOR_NOW, textMessage(msgId, { text: { content: 'changed' } }))).toEqual({ msgId, stored: false });
    const rows = await rowsOf(msgId);
    expect(rows).toHaveLength(1);
    expect(rows[0].text_content).toBe(` hello ${msgId}`);
  });

  describe('replays (the sign covers the timestamp and the secret only)', () => {
    it('refuses a signature already used with another message, and stores nothing of it', async () => {
      const headers = freshSign();
      const original = `msg-original-${suffix}`;
      const forged = `msg-forged-${suffix}`;
      expect(await receive(original, headers)).toEqual({ msgId: original, stored: true });
      const err = await refusal(receive(forged, headers, VECTOR_NOW + 1_000, textMessage(forged, { text: { content: 'forged' } })));
      expect(err).toBeInstanceOf(CallbackUnauthorizedError);
      expect(err).toMatchObject({ code: 'UNAUTHORIZED', message: 'The callback signature was not accepted' });
      expect((err as CallbackUnauthorizedError).reason).toMatch(/^replay: /);
      expect(await rowsOf(forged)).toEqual([]);
    });

    it('answers the very same request again (DingTalk re-sending it) like a re-push, storing nothing new', async () => {
      const headers = freshSign();
      const msgId = `msg-resent-${suffix}`;
      expect(await receive(msgId, headers)).toEqual({ msgId, stored: true });
      expect(await receive(msgId, headers)).toEqual({ msgId, stored: false });
      expect(await rowsOf(msgId)).toHaveLength(1);
    });

    it('remembers a signature in Redis as a hash, for twice the window (a timestamp may be ahead or behind)', async () => {
      const headers = freshSign();
      await receive(`msg-ttl-${suffix}`, headers);
      const redis = new Redis(testRedisUrl());
      try {
        const keys = await redis.keys(`${prefix}:callback-seen:*`);
        expect(keys.length).toBeGreaterThan(0);
        for (const key of keys) {
          expect(key).toMatch(new RegExp(`^${prefix}:callback-seen:[0-9a-f]{64}$`));
          expect(`${key} ${await redis.get(key)}`).not.toContain(headers.sign);
        }
        const ttls = await Promise.all(keys.map((k) => redis.pttl(k)));
        expect(Math.max(...ttls)).toBeGreaterThan(2 * SKEW_MS - 60_000);
        expect(Math.max(...ttls)).toBeLessThanOrEqual(2 * SKEW_MS);
      } finally {
        redis.disconnect();
      }
    });
  });

  it('refuses a text longer than callbackMaxTextLength characters, counting code points', async () => {
    const long = `msg-long-${suffix}`;
    const err = await refusal(receive(long, freshSign(), VECTOR_NOW, textMessage(long, { text: { content: 'x'.repeat(51) } })));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.details).toEqual([{ field: 'text.content', message: 'must be at most 50 characters' }]);
    expect(await rowsOf(long)).toEqual([]);
    // 50 emoji are 100 UTF-16 units but 50 characters.
    const emoji = `msg-emoji-${suffix}`;
    expect(await receive(emoji, freshSign(), VECTOR_NOW, textMessage(emoji, { text: { content: '😀'.repeat(50) } }))).toEqual({ msgId: emoji, stored: true });
  });

  it.each([
    ['msgId', { msgId: '' }],
    ['msgtype', { msgtype: 'not a type' }],
    ['text.content', { text: {} }],
    ['conversationId', { conversationId: undefined }],
    ['createAt', { createAt: 'yesterday' }],
    ['senderStaffId', { senderStaffId: 42 }],
  ])('refuses a signed payload with a bad %s, naming it', async (field, overrides) => {
    const err = await refusal(receive(`msg-bad-${field}-${suffix}`, SIGN_VECTOR, VECTOR_NOW, textMessage(`msg-bad-${field}-${suffix}`, overrides)));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.details[0]?.field).toBe(field);
  });

  it('keeps the content object of a non-text message', async () => {
    const msgId = `msg-picture-${suffix}`;
    const payload = textMessage(msgId, { msgtype: 'picture', text: undefined, content: { downloadCode: 'dc-1' } });
    expect(await receive(msgId, freshSign(), VECTOR_NOW, payload)).toEqual({ msgId, stored: true });
    expect((await rowsOf(msgId))[0]).toMatchObject({ msgtype: 'picture', text_content: null, content: { downloadCode: 'dc-1' } });
  });

  describe('legacy encrypted events (§9.4)', () => {
    const event = (name: string, overrides: Partial<{ signature: string; timestamp: string; nonce: string; encrypt: unknown; nowMs: number }> = {}) =>
      app.get(ReceiveEventUseCase).execute({
        chatConfiguration: name,
        signature: EVENT_VECTOR.signature,
        timestamp: EVENT_VECTOR.timestamp,
        nonce: EVENT_VECTOR.nonce,
        encrypt: EVENT_VECTOR.encrypt,
        nowMs: EVENT_NOW,
        ...overrides,
      });

    it("decrypts the spec's vector and answers an encrypted, signed success", async () => {
      const received = await event(EVENTS.name);
      expect(received.eventType).toBe('check_create_suite_url');
      expect(received.reply).toMatchObject({ timeStamp: EVENT_VECTOR.timestamp, nonce: EVENT_VECTOR.nonce });
      const crypto = new DingTalkEventCrypto(EVENT_VECTOR.token, EVENT_VECTOR.aesKey, EVENT_VECTOR.ownerKey);
      expect(crypto.decryptFor(received.reply.encrypt)).toBe('success');
      expect(received.reply.msg_signature).toBe(crypto.signature(EVENT_VECTOR.timestamp, EVENT_VECTOR.nonce, received.reply.encrypt));
    });

    it('refuses a wrong signature, another receiver (ownerKey) and a configuration without callback secrets', async () => {
      expect(await refusal(event(EVENTS.name, { signature: '0'.repeat(40) }))).toMatchObject({ code: 'UNAUTHORIZED', reason: 'signature mismatch' });
      expect(await refusal(event(OTHER_OWNER.name))).toMatchObject({ code: 'UNAUTHORIZED', reason: 'ownerKey does not match this receiver' });
      expect(await refusal(event(CONFIG.name))).toMatchObject({ code: 'UNAUTHORIZED' });
      expect(await refusal(event(EVENTS.name, { encrypt: 5 }))).toBeInstanceOf(InvalidInputError);
    });

    it('refuses a timestamp outside the window, either way', async () => {
      for (const nowMs of [Number(EVENT_VECTOR.timestamp) + SKEW_MS + 1, Number(EVENT_VECTOR.timestamp) - SKEW_MS - 1]) {
        expect(await refusal(event(EVENTS.name, { nowMs }))).toMatchObject({ code: 'UNAUTHORIZED', reason: 'stale' });
      }
    });

    it('takes a timestamp of ten digits or fewer as seconds', async () => {
      const crypto = new DingTalkEventCrypto(EVENT_VECTOR.token, EVENT_VECTOR.aesKey, EVENT_VECTOR.ownerKey);
      const seconds = String(Math.floor(EVENT_NOW / 1000));
      const nonce = `s-${suffix}`;
      const signed = { timestamp: seconds, nonce, signature: crypto.signature(seconds, nonce, EVENT_VECTOR.encrypt) };
      expect((await event(EVENTS.name, signed)).eventType).toBe('check_create_suite_url');
      // Held to the window like any other (read as milliseconds it would be January 1970, stale whatever the clock).
      const stale = await refusal(event(EVENTS.name, { ...signed, nowMs: EVENT_NOW + SKEW_MS + 1_000 }));
      expect(stale).toMatchObject({ reason: 'stale' });
    });

    it('accepts a nonce once: the same push again is answered alike, the nonce with another push is a replay', async () => {
      const crypto = new DingTalkEventCrypto(EVENT_VECTOR.token, EVENT_VECTOR.aesKey, EVENT_VECTOR.ownerKey);
      const nonce = `n-${suffix}`;
      const push = (timestamp: string) => ({ timestamp, nonce, signature: crypto.signature(timestamp, nonce, EVENT_VECTOR.encrypt) });
      const first = push(String(EVENT_NOW));
      expect((await event(EVENTS.name, first)).eventType).toBe('check_create_suite_url');
      expect((await event(EVENTS.name, first)).eventType).toBe('check_create_suite_url');
      // Same nonce, another (validly signed) timestamp: only someone holding a used nonce would send it.
      const replay = await refusal(event(EVENTS.name, push(String(EVENT_NOW + 1))));
      expect(replay).toMatchObject({ code: 'UNAUTHORIZED' });
      expect((replay as CallbackUnauthorizedError).reason).toMatch(/^replay: nonce/);
    });
  });

  describe('listing', () => {
    const list = (query: Parameters<ListInboundMessagesUseCase['execute']>[0]) => app.get(ListInboundMessagesUseCase).execute(query);

    it('filters by configuration, sender, msgtype, conversation and time, newest first, in stable pages', async () => {
      const sender = `lister-${suffix}`;
      const ids = Array.from({ length: 5 }, (_, i) => `msg-list-${i}-${suffix}`);
      for (const [i, msgId] of ids.entries()) {
        await receive(msgId, freshSign(), VECTOR_NOW, textMessage(msgId, { senderStaffId: sender, createAt: 1577262000000 + i * 1000, conversationId: i % 2 ? `cid-odd-${suffix}` : `cid-even-${suffix}` }));
      }
      const first = await list({ chatConfiguration: CONFIG.name, senderStaffId: sender, maxResults: 2 });
      expect(first.items.map((m) => m.msgId)).toEqual([ids[4], ids[3]]);
      // A message arriving between pages does not shift them.
      await receive(`msg-list-late-${suffix}`, freshSign(), VECTOR_NOW, textMessage(`msg-list-late-${suffix}`, { senderStaffId: sender }));
      const second = await list({ chatConfiguration: CONFIG.name, senderStaffId: sender, maxResults: 2, nextToken: first.nextToken! });
      expect(second.items.map((m) => m.msgId)).toEqual([ids[2], ids[1]]);
      const third = await list({ chatConfiguration: CONFIG.name, senderStaffId: sender, maxResults: 2, nextToken: second.nextToken! });
      expect(third.items.map((m) => m.msgId)).toEqual([ids[0]]);
      expect(third.nextToken).toBeNull();

      const odd = await list({ senderStaffId: sender, conversationId: `cid-odd-${suffix}`, maxResults: 10 });
      expect(odd.items.map((m) => m.msgId)).toEqual([ids[3], ids[1]]);
      const window = await list({ senderStaffId: sender, createdFrom: new Date(1577262001000).toISOString(), createdTo: '2019-12-25T08:20:03Z', maxResults: 10 });
      expect(window.items.map((m) => m.msgId)).toEqual([ids[2], ids[1]]);
      expect((await list({ senderStaffId: sender, msgtype: 'picture', maxResults: 10 })).items).toEqual([]);
    });

    it('pages in numeric id order where ids gain a digit (9 → 10), missing none', async () => {
      const sender = `digits-${suffix}`;
      // Move the id sequence (forward only, safe for other suites) to 5 below the next power of ten.
      const [{ next }]: { next: string }[] = await db.query(
        `SELECT (10 ^ (floor(log(GREATEST(last_value, 10))) + 1))::bigint - 6 AS next FROM inbound_messages_id_seq`,
      );
      await db.query(`SELECT setval('inbound_messages_id_seq', GREATEST($1::bigint, (SELECT last_value FROM inbound_messages_id_seq)))`, [next]);
      const ids = Array.from({ length: 10 }, (_, i) => `msg-digits-${i}-${suffix}`);
      for (const msgId of ids) await receive(msgId, freshSign(), VECTOR_NOW, textMessage(msgId, { senderStaffId: sender }));
      const stored: { id: string }[] = await db.query(`SELECT id::text AS id FROM inbound_messages WHERE sender_staff_id = $1`, [sender]);
      expect(new Set(stored.map((r) => r.id.length)).size).toBe(2);

      const listed: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await list({ senderStaffId: sender, maxResults: 3, nextToken });
        listed.push(...page.items.map((m) => m.msgId));
        nextToken = page.nextToken ?? undefined;
      } while (nextToken);
      expect(listed).toEqual([...ids].reverse());
    });

    it('refuses a token from another filter', async () => {
      const sender = `lister-${suffix}`;
      const page = await list({ senderStaffId: sender, maxResults: 1 });
      await expect(list({ senderStaffId: 'someone-else', maxResults: 1, nextToken: page.nextToken! })).rejects.toBeInstanceOf(InvalidInputError);
    });
  });
});
