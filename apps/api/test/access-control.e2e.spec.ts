import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { computeCallbackSign, DingTalkEventCrypto } from '@dingrelay/dingtalk-client';
import { startDingTalkSimulator, type DingTalkSimulator } from '@dingrelay/dingtalk-sim';
import { ConfigError, DEFAULT_CHAT_CONFIGURATION, generateApiKey, validateConfig } from '@dingrelay/domain';
import {
  deleteQueuePrefix,
  dropTestDatabase,
  nextCallbackTimestamp,
  prepareTestDatabase,
  startTestDeliveryWorker,
  testDatabaseUrl,
  testRedisUrl,
  uniqueQueuePrefix,
  waitFor,
} from '@dingrelay/testing';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { ApiConfig } from '../src/api.config.js';
import { rolesFor } from '../src/auth/access-policy.js';
import { ACCESS_METADATA, type AccessRule, PUBLIC_METADATA } from '../src/auth/access.decorator.js';
import { apiRequest, createTestApiKey, ensureTestChatConfiguration, startTestApi } from './support/test-api.js';
import { registeredRoutes } from '../src/http/registered-routes.js';

/**
 * Access control end to end: every endpoint the app registers × every kind of caller → the expected status, driven
 * by one table; the table must name every route Nest registered, so an endpoint added later can't go unchecked.
 */

type Caller = 'no key' | 'revoked key' | 'expired key' | 'admin' | 'sender in scope' | 'sender out of scope' | 'auditor';
const CALLERS: Caller[] = ['no key', 'revoked key', 'expired key', 'admin', 'sender in scope', 'sender out of scope', 'auditor'];
type Role = 'admin' | 'sender' | 'auditor';

interface Context {
  /** A fresh send through the default configuration (the in-scope sender's) that stays pending: no worker takes it. */
  newSend(): Promise<string>;
  /** A fresh send through the default configuration, delivered by the simulator. */
  newDeliveredSend(): Promise<string>;
  /** A fresh key for an admin to look at or revoke. */
  newKey(): Promise<string>;
  /** A fresh chat configuration for an admin to change or delete. */
  newConfiguration(): Promise<string>;
  /** A fresh export download link (its path), made with an admin key. */
  newExportLink(): Promise<string>;
  /** A unique name for a configuration that does not exist yet. */
  unique(): string;
  /** An active DingTalk configuration on the simulator's app, with its callback secrets (shown once at creation). */
  dingtalk: { name: string; aesKey: string; callbackToken: string };
  /** The default configuration's name: the one the in-scope sender may use. */
  defaultConfiguration: string;
}

interface Endpoint {
  method: 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete';
  /** The route as Nest registered it. */
  route: string;
  /** Tells apart rows of one route (the OOS endpoint's read and write actions). */
  variant?: string;
  /** The OOS-compatible endpoint answers errors in OOS's shape; every other one in ours. */
  errorShape?: 'oos';
  /**
   * Who gets `success`; everyone else with a valid key gets 403, senders out of scope always 403. `public`: anyone
   * gets `success`, whatever key they send (the route authenticates otherwise, e.g. DingTalk's signature).
   */
  roles: Role[] | 'public';
  /** A valid request, built fresh for each caller (a cancelled send can't be cancelled twice). */
  request(ctx: Context): Promise<{ path: string; body?: object; headers?: Record<string, string> }>;
  success: number;
  /** The route involves no chat configuration (it is about the calling key itself): senders out of scope get `success` too. */
  unscoped?: true;
  /** The request field naming the configuration; a sender out of scope is refused with `details` naming it. */
  scopeField?: string;
}

const ALL: Role[] = ['admin', 'sender', 'auditor'];
const READERS: Role[] = ['admin', 'auditor'];
const WRITERS: Role[] = ['admin', 'sender'];
const ADMIN: Role[] = ['admin'];

const APP = { appKey: 'access-app', appSecret: 'access-secret', robotCode: 'access-robot' };
const SEND_BODY = { userIds: ['user-1', 'user-2'], msgKey: 'sampleText', msgParam: { content: 'access matrix' } };
const PLUGIN = { name: { zh_CN: '请假', en_US: 'Leave' }, icon: '@lALPDtXaDkO3j7hgYA', pcUrl: 'https://pc.example.test/leave' };
const configurationBody = (name: string) => ({
  name,
  type: 'DingTalk',
  configuration: { clientId: `app-${name}`, clientSecret: `secret-${name}`, robotCode: `robot-${name}` },
});

/** Every authenticated endpoint, with the roles the README's access table promises. */
const ENDPOINTS: Endpoint[] = [
  // Sends
  { method: 'post', route: '/v1/sends', roles: WRITERS, success: 202, request: async () => ({ path: '/v1/sends', body: SEND_BODY }) },
  { method: 'get', route: '/v1/sends/:id', roles: ALL, success: 200, request: async (c) => ({ path: `/v1/sends/${await c.newSend()}` }) },
  { method: 'get', route: '/v1/sends/:id/recipients', roles: ALL, success: 200, request: async (c) => ({ path: `/v1/sends/${await c.newSend()}/recipients` }) },
  { method: 'get', route: '/v1/sends/:id/events', roles: ALL, success: 200, request: async (c) => ({ path: `/v1/sends/${await c.newSend()}/events` }) },
  { method: 'post', route: '/v1/sends/:id/cancel', roles: WRITERS, success: 200, request: async (c) => ({ path: `/v1/sends/${await c.newSend()}/cancel` }) },
  { method: 'post', route: '/v1/sends/:id/recall', roles: WRITERS, success: 202, request: async (c) => ({ path: `/v1/sends/${await c.newDeliveredSend()}/recall` }) },
  {
    method: 'post',
    route: '/v1/sends/:id/read-status/refresh',
    roles: WRITERS,
    success: 202,
    request: async (c) => ({ path: `/v1/sends/${await c.newDeliveredSend()}/read-status/refresh` }),
  },
  // History, exports, audit, usage
  {
    method: 'get',
    route: '/v1/sends',
    roles: ALL,
    scopeField: 'chatConfiguration',
    success: 200,
    request: async (c) => ({ path: `/v1/sends?maxResults=1&chatConfiguration=${c.defaultConfiguration}` }),
  },
  {
    method: 'get',
    route: '/v1/recipients',
    roles: ALL,
    scopeField: 'chatConfiguration',
    success: 200,
    request: async (c) => ({ path: `/v1/recipients?userId=user-1&maxResults=1&chatConfiguration=${c.defaultConfiguration}` }),
  },
  {
    method: 'get',
    route: '/v1/stats/sends',
    roles: ALL,
    scopeField: 'chatConfiguration',
    success: 200,
    request: async (c) => ({
      path: `/v1/stats/sends?createdFrom=2026-11-01T00:00:00Z&createdTo=2026-11-02T00:00:00Z&interval=hour&chatConfiguration=${c.defaultConfiguration}`,
    }),
  },
  { method: 'get', route: '/v1/exports/sends', roles: READERS, success: 200, request: async () => ({ path: `/v1/exports/sends?createdFrom=${encodeURIComponent(new Date().toISOString())}` }) },
  {
    method: 'get',
    route: '/v1/exports/recipients',
    roles: READERS,
    success: 200,
    request: async () => ({ path: `/v1/exports/recipients?userId=nobody-${randomUUID()}` }),
  },
  {
    method: 'post',
    route: '/v1/exports/links',
    roles: READERS,
    success: 201,
    request: async () => ({ path: '/v1/exports/links', body: { export: 'recipients', filters: { userId: `nobody-${randomUUID()}` } } }),
  },
  // The link's token is the credential: whatever key comes with the download (or none) changes nothing.
  { method: 'get', route: '/v1/exports/downloads/:token', roles: 'public', success: 200, request: async (c) => ({ path: await c.newExportLink() }) },
  { method: 'head', route: '/v1/exports/downloads/:token', roles: 'public', success: 200, request: async (c) => ({ path: await c.newExportLink() }) },
  { method: 'get', route: '/v1/audit-events', roles: READERS, success: 200, request: async () => ({ path: '/v1/audit-events?maxResults=1' }) },
  { method: 'get', route: '/v1/audit-events/verify', roles: READERS, success: 200, request: async () => ({ path: `/v1/audit-events/verify?digestCount=0&digestHash=${'0'.repeat(64)}` }) },
  { method: 'get', route: '/v1/usage', roles: READERS, success: 200, request: async () => ({ path: '/v1/usage' }) },
  // Chat configurations
  {
    method: 'post',
    route: '/v1/chat-configurations',
    roles: ADMIN,
    success: 201,
    request: async (c) => ({ path: '/v1/chat-configurations', body: configurationBody(c.unique()) }),
  },
  { method: 'get', route: '/v1/chat-configurations', roles: READERS, success: 200, request: async () => ({ path: '/v1/chat-configurations' }) },
  {
    method: 'get',
    route: '/v1/chat-configurations/:name',
    roles: READERS,
    success: 200,
    request: async (c) => ({ path: `/v1/chat-configurations/${await c.newConfiguration()}` }),
  },
  {
    method: 'patch',
    route: '/v1/chat-configurations/:name',
    roles: ADMIN,
    success: 200,
    request: async (c) => ({ path: `/v1/chat-configurations/${await c.newConfiguration()}`, body: { tags: { changed: 'yes' } } }),
  },
  {
    method: 'put',
    route: '/v1/chat-configurations/:name',
    roles: ADMIN,
    success: 200,
    request: async (c) => ({ path: `/v1/chat-configurations/${await c.newConfiguration()}`, body: { tags: { changed: 'yes' } } }),
  },
  {
    method: 'delete',
    route: '/v1/chat-configurations/:name',
    roles: ADMIN,
    success: 200,
    request: async (c) => ({ path: `/v1/chat-configurations/${await c.newConfiguration()}` }),
  },
  {
    method: 'post',
    route: '/v1/oos',
    variant: 'ListChatConfigurations',
    errorShape: 'oos',
    roles: READERS,
    success: 200,
    request: async () => ({ path: '/v1/oos?Action=ListChatConfigurations' }),
  },
  {
    method: 'post',
    route: '/v1/oos',
    variant: 'DeleteChatConfiguration',
    errorShape: 'oos',
    roles: ADMIN,
    success: 200,
    request: async (c) => ({ path: `/v1/oos?Action=DeleteChatConfiguration&Name=${await c.newConfiguration()}` }),
  },
  // Quick entries (reach the simulator)
  {
    method: 'put',
    route: '/v1/chat-configurations/:name/plugins',
    roles: ADMIN,
    success: 200,
    request: async (c) => ({ path: `/v1/chat-configurations/${c.dingtalk.name}/plugins`, body: { plugins: [PLUGIN] } }),
  },
  { method: 'get', route: '/v1/chat-configurations/:name/plugins', roles: READERS, success: 200, request: async (c) => ({ path: `/v1/chat-configurations/${c.dingtalk.name}/plugins` }) },
  { method: 'delete', route: '/v1/chat-configurations/:name/plugins', roles: ADMIN, success: 200, request: async (c) => ({ path: `/v1/chat-configurations/${c.dingtalk.name}/plugins` }) },
  // Inbound: DingTalk's pushes are signed, not keyed; auditors read what came in
  {
    method: 'post',
    route: '/v1/callbacks/dingtalk/:name',
    roles: 'public',
    success: 200,
    request: async (c) => {
      const timestamp = nextCallbackTimestamp();
      return {
        path: `/v1/callbacks/dingtalk/${c.dingtalk.name}`,
        headers: { timestamp, sign: computeCallbackSign(timestamp, APP.appSecret) },
        body: {
          msgtype: 'text',
          text: { content: 'hello' },
          msgId: `matrix-${randomUUID()}`,
          createAt: Date.now(),
          conversationType: '1',
          conversationId: 'cid-matrix',
          senderStaffId: 'staff-matrix',
          robotCode: APP.robotCode,
        },
      };
    },
  },
  {
    method: 'post',
    route: '/v1/callbacks/dingtalk/:name/events',
    roles: 'public',
    success: 200,
    request: async (c) => {
      const crypto = new DingTalkEventCrypto(c.dingtalk.callbackToken, c.dingtalk.aesKey, APP.appKey);
      const encrypt = crypto.encrypt(JSON.stringify({ EventType: 'check_url' }));
      const timestamp = String(Date.now());
      // A nonce of its own each time: the API accepts a nonce once.
      const nonce = randomBytes(6).toString('hex');
      const signature = crypto.signature(timestamp, nonce, encrypt);
      return { path: `/v1/callbacks/dingtalk/${c.dingtalk.name}/events?msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`, body: { encrypt } };
    },
  },
  { method: 'get', route: '/v1/inbound-messages', roles: READERS, success: 200, request: async () => ({ path: '/v1/inbound-messages?maxResults=1' }) },
  // Operations: probes carry no key (load balancers, orchestrators)
  { method: 'get', route: '/health/live', roles: 'public', success: 200, request: async () => ({ path: '/health/live' }) },
  { method: 'get', route: '/health/ready', roles: 'public', success: 200, request: async () => ({ path: '/health/ready' }) },
  { method: 'get', route: '/metrics', roles: READERS, success: 200, request: async () => ({ path: '/metrics' }) },
  // API keys
  { method: 'post', route: '/v1/api-keys', roles: ADMIN, success: 201, request: async () => ({ path: '/v1/api-keys', body: { name: 'matrix', role: 'auditor' } }) },
  { method: 'get', route: '/v1/api-keys', roles: ADMIN, success: 200, request: async () => ({ path: '/v1/api-keys' }) },
  { method: 'get', route: '/v1/api-keys/current', roles: ALL, unscoped: true, success: 200, request: async () => ({ path: '/v1/api-keys/current' }) },
  { method: 'get', route: '/v1/api-keys/:id', roles: ADMIN, success: 200, request: async (c) => ({ path: `/v1/api-keys/${await c.newKey()}` }) },
  { method: 'post', route: '/v1/api-keys/:id/revoke', roles: ADMIN, success: 200, request: async (c) => ({ path: `/v1/api-keys/${await c.newKey()}/revoke` }) },
];

const ROLE_OF: Record<Caller, Role | null> = {
  'no key': null,
  'revoked key': null,
  'expired key': null,
  admin: 'admin',
  'sender in scope': 'sender',
  'sender out of scope': 'sender',
  auditor: 'auditor',
};

function expectedStatus(endpoint: Endpoint, caller: Caller): number {
  if (endpoint.roles === 'public') return endpoint.success;
  const role = ROLE_OF[caller];
  if (role === null) return 401;
  if (!endpoint.roles.includes(role)) return 403;
  if (caller === 'sender out of scope' && !endpoint.unscoped) return 403;
  return endpoint.success;
}

describe('access control', () => {
  const run = randomBytes(3).toString('hex');
  const prefix = uniqueQueuePrefix('api-access');
  const deliveryPrefix = uniqueQueuePrefix('api-access-delivery');
  let sim: DingTalkSimulator;
  /** The app under test: no worker consumes its queue, so its sends stay pending (cancellable). */
  let api: INestApplication;
  /** A second API on the same database whose sends a worker delivers (recallable). */
  let deliveryApi: INestApplication;
  let worker: INestApplicationContext;
  const keys = {} as Record<Exclude<Caller, 'no key'>, string>;
  const keyIds = {} as Record<Exclude<Caller, 'no key'>, string>;
  const sendIds: string[] = [];
  let adminKeyId: string;
  let ctx: Context;

  beforeAll(async () => {
    const databaseUrl = await prepareTestDatabase();
    sim = await startDingTalkSimulator({ apps: [APP], users: { pattern: '^user-\\d+$' } });
    api = await startTestApi({ queuePrefix: prefix, robotCode: APP.robotCode, env: { DINGTALK_BASE_URL: sim.url } });
    deliveryApi = await startTestApi({ queuePrefix: deliveryPrefix, robotCode: APP.robotCode });
    const defaultConfiguration = api.get<{ name: string }>(DEFAULT_CHAT_CONFIGURATION).name;
    worker = await startTestDeliveryWorker({
      databaseUrl,
      redisUrl: testRedisUrl(),
      queuePrefix: deliveryPrefix,
      dingtalkBaseUrl: sim.url,
      chatConfigurations: [{ name: defaultConfiguration, ...APP }],
    });
    // A sender key may only name existing configurations: 'elsewhere' is one, but not the in-scope sender's.
    for (const name of ['elsewhere', 'ops']) await ensureTestChatConfiguration(api, name);
    const made = {
      admin: await createTestApiKey(api, { role: 'admin', name: 'matrix-admin' }),
      'sender in scope': await createTestApiKey(api, { role: 'sender', name: 'matrix-sender', chatConfigurations: [defaultConfiguration] }),
      'sender out of scope': await createTestApiKey(api, { role: 'sender', name: 'matrix-other', chatConfigurations: ['elsewhere'] }),
      auditor: await createTestApiKey(api, { role: 'auditor', name: 'matrix-auditor' }),
      'revoked key': await createTestApiKey(api, { role: 'admin', name: 'matrix-revoked' }),
      'expired key': await createTestApiKey(api, { role: 'admin', name: 'matrix-expired', expiresAt: new Date(Date.now() + 60_000) }),
    };
    for (const [caller, key] of Object.entries(made) as [Exclude<Caller, 'no key'>, { id: string; key: string }][]) {
      keys[caller] = key.key;
      keyIds[caller] = key.id;
    }
    adminKeyId = made.admin.id;
    await apiRequest(api).post(`/v1/api-keys/${made['revoked key'].id}/revoke`).expect(200);
    // Expiry is refused in the past at creation; the clock moving on is what makes a key expire.
    await api.get(DataSource).query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [made['expired key'].id]);

    let names = 0;
    const unique = () => `access-${run}-${++names}`;
    const dingtalkName = unique();
    const created = await apiRequest(api)
      .post('/v1/chat-configurations')
      .send({ name: dingtalkName, type: 'DingTalk', configuration: { clientId: APP.appKey, clientSecret: APP.appSecret, robotCode: APP.robotCode } })
      .expect(201);
    ctx = {
      unique,
      defaultConfiguration,
      dingtalk: { name: dingtalkName, aesKey: created.body.outputs.aesKey, callbackToken: created.body.outputs.callbackToken },
      newSend: async () => {
        const id: string = (await apiRequest(api).post('/v1/sends').send(SEND_BODY).expect(202)).body.id;
        sendIds.push(id);
        return id;
      },
      newDeliveredSend: async () => {
        const id: string = (await apiRequest(deliveryApi).post('/v1/sends').send(SEND_BODY).expect(202)).body.id;
        await waitFor(
          async () => (await apiRequest(deliveryApi).get(`/v1/sends/${id}`)).body.status,
          (status) => status === 'completed',
          { timeoutMs: 15_000, description: `send ${id} to complete` },
        );
        return id;
      },
      newKey: async () => (await createTestApiKey(api, { role: 'auditor', name: 'matrix-target' })).id,
      newExportLink: async () =>
        (await apiRequest(api).post('/v1/exports/links').send({ export: 'sends', filters: { chatConfiguration: `nothing-${randomUUID()}` } }).expect(201))
          .body.url,
      newConfiguration: async () => {
        const name = unique();
        await apiRequest(api).post('/v1/chat-configurations').send(configurationBody(name)).expect(201);
        return name;
      },
    };
  });

  afterAll(async () => {
    // Nothing of this suite's may stay pending for another suite's reconciler.
    if (api && sendIds.length > 0) {
      await api.get(DataSource).query(`UPDATE batches SET status = 'cancelled' WHERE status = 'pending' AND send_id = ANY($1::uuid[])`, [sendIds]);
    }
    await worker?.close();
    await api?.close();
    await deliveryApi?.close();
    await sim?.close();
    await deleteQueuePrefix(prefix);
    await deleteQueuePrefix(deliveryPrefix);
  });

  describe('every registered route is in the matrix and declares who may call it', () => {
    it('has no route missing from the table, none without @Access or @Public, and no table row for a route that is gone', () => {
      const reflector = api.get(Reflector);
      const routes = registeredRoutes(api);
      expect(routes.length).toBeGreaterThan(0);
      const undeclared = routes
        .filter((r) => !reflector.getAllAndOverride<boolean>(PUBLIC_METADATA, [r.handler, r.controller]))
        .filter((r) => !reflector.getAllAndOverride<AccessRule>(ACCESS_METADATA, [r.handler, r.controller]))
        .map((r) => `${r.method.toUpperCase()} ${r.route}`);
      expect(undeclared).toEqual([]);

      const inTable = new Set(ENDPOINTS.map((e) => `${e.method.toUpperCase()} ${e.route}`));
      const registered = new Set(routes.map((r) => `${r.method.toUpperCase()} ${r.route}`));
      expect([...registered].filter((r) => !inTable.has(r))).toEqual([]);
      expect([...inTable].filter((r) => !registered.has(r))).toEqual([]);

      const publicRoutes = routes
        .filter((r) => reflector.getAllAndOverride<boolean>(PUBLIC_METADATA, [r.handler, r.controller]))
        .map((r) => `${r.method.toUpperCase()} ${r.route}`);
      const publicInTable = ENDPOINTS.filter((e) => e.roles === 'public').map((e) => `${e.method.toUpperCase()} ${e.route}`);
      expect(publicRoutes.sort()).toEqual(publicInTable.sort());
    });

    it('opens to senders only routes that state how their scope is checked', () => {
      const reflector = api.get(Reflector);
      const unscoped = registeredRoutes(api)
        .map((r) => ({ r, rule: reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [r.handler, r.controller]) }))
        .filter(({ rule }) => rule && rolesFor(rule.permission).includes('sender') && rule.senderScope === undefined)
        .map(({ r }) => `${r.method.toUpperCase()} ${r.route}`);
      expect(unscoped).toEqual([]);
    });
  });

  describe.each(ENDPOINTS.map((e) => ({ ...e, name: `${e.method.toUpperCase()} ${e.route}${e.variant ? ` (${e.variant})` : ''}` })))('$name', (endpoint) => {
    it.each(CALLERS)('%s', async (caller) => {
      const { path, body, headers } = await endpoint.request(ctx);
      const key = caller === 'no key' ? null : keys[caller];
      const call = apiRequest(api, key)[endpoint.method](path).set(headers ?? {});
      const res = await (body ? call.send(body) : call);
      const expected = expectedStatus(endpoint, caller);
      expect({ caller, status: res.status, body: res.status === expected ? undefined : res.body }).toEqual({ caller, status: expected, body: undefined });
      if (expected === 401) expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="dingrelay"/);
      if (expected === 401 || expected === 403) {
        const code = expected === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN';
        expect(res.body).toMatchObject(
          endpoint.errorShape === 'oos'
            ? { Code: expect.any(String), Message: expect.any(String), RequestId: res.headers['x-request-id'] }
            : {
                status: expected,
                code,
                message: expect.any(String),
                details:
                  endpoint.scopeField && caller === 'sender out of scope' ? [{ field: endpoint.scopeField, message: expect.any(String) }] : [],
                requestId: res.headers['x-request-id'],
              },
        );
      }
    });
  });

  describe('documentation', () => {
    it('is public, and the OpenAPI document states the bearer scheme on every keyed route and `security: []` on public ones', async () => {
      await apiRequest(api, null).get('/docs').expect(200);
      const doc = (await apiRequest(api, null).get('/docs/openapi.json').expect(200)).body;
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      for (const endpoint of ENDPOINTS) {
        const path = endpoint.route.replace(/:(\w+)/g, '{$1}');
        const security = doc.paths[path]?.[endpoint.method]?.security;
        expect({ route: `${endpoint.method} ${path}`, security }).toEqual({
          route: `${endpoint.method} ${path}`,
          // Public routes (health, callbacks, download links) say outright that they take no key.
          security: endpoint.roles === 'public' ? [] : [{ bearer: [] }],
        });
      }
    });
  });

  describe('the 401s', () => {
    it('tells a revoked or expired key from a wrong one, and refuses other schemes and malformed keys', async () => {
      const revoked = await apiRequest(api, keys['revoked key']).get('/v1/usage').expect(401);
      expect(revoked.body.message).toBe('API key revoked');
      const expired = await apiRequest(api, keys['expired key']).get('/v1/usage').expect(401);
      expect(expired.body.message).toBe('API key expired');
      const guessed = keys.admin.slice(0, -4) + (keys.admin.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      const wrong = await apiRequest(api, guessed).get('/v1/usage').expect(401);
      expect(wrong.body.message).toBe('Invalid API key');
      expect(wrong.headers['www-authenticate']).toBe('Bearer realm="dingrelay", error="invalid_token"');
      await apiRequest(api, 'not-a-key').get('/v1/usage').expect(401);
      const basic = await apiRequest(api, null).get('/v1/usage').set('Authorization', `Basic ${Buffer.from('a:b').toString('base64')}`).expect(401);
      expect(basic.headers['www-authenticate']).toBe('Bearer realm="dingrelay"');
    });
  });

  describe('sender scope', () => {
    it('refuses a sender a send through a configuration it is not scoped to, and writes nothing', async () => {
      const before = await api.get(DataSource).query(`SELECT count(*)::int AS n FROM sends WHERE requested_by_key_id = $1`, [keyIds['sender in scope']]);
      const res = await apiRequest(api, keys['sender in scope'])
        .post('/v1/sends')
        .send({ ...SEND_BODY, chatConfiguration: 'elsewhere' })
        .expect(403);
      expect(res.body.message).toBe('This key may not use chat configuration "elsewhere"');
      const after = await api.get(DataSource).query(`SELECT count(*)::int AS n FROM sends WHERE requested_by_key_id = $1`, [keyIds['sender in scope']]);
      expect(after).toEqual(before);
    });

    it('answers 404 for a send that does not exist, to a sender as to anyone', async () => {
      await apiRequest(api, keys['sender out of scope']).get('/v1/sends/00000000-0000-4000-8000-000000000000').expect(404);
    });
  });

  describe('API keys', () => {
    it('shows a new key once, stores only its hash, lists and gets it without secrets, and revokes it at once', async () => {
      const created = await apiRequest(api)
        .post('/v1/api-keys')
        .send({ name: 'ci pipeline', role: 'sender', chatConfigurations: ['default', 'ops'], expiresAt: '2099-01-01T00:00:00+08:00' })
        .expect(201);
      const key: string = created.body.key;
      expect(key).toMatch(/^drk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      expect(created.headers['location']).toBe(`/v1/api-keys/${created.body.id}`);
      expect(created.body).toMatchObject({
        name: 'ci pipeline',
        role: 'sender',
        chatConfigurations: ['default', 'ops'],
        prefix: key.slice(0, 17),
        expiresAt: '2098-12-31T16:00:00.000Z',
        revokedAt: null,
        createdBy: 'test-admin',
      });

      const [row] = await api.get(DataSource).query(`SELECT * FROM api_keys WHERE id = $1`, [created.body.id]);
      expect(JSON.stringify(row)).not.toContain(key.slice(17));
      expect(Buffer.isBuffer(row.secret_hash) && row.secret_hash.length).toBe(32);

      const got = await apiRequest(api).get(`/v1/api-keys/${created.body.id}`).expect(200);
      expect(got.body).not.toHaveProperty('key');
      expect(JSON.stringify(got.body)).not.toContain(key.slice(17));
      const { key: _key, ...listed } = created.body;
      expect(got.body).toEqual(listed);

      await apiRequest(api, key).get(`/v1/sends/${await ctx.newSend()}`).expect(200);
      const used = await apiRequest(api).get(`/v1/api-keys/${created.body.id}`).expect(200);
      expect(used.body.lastUsedAt).toEqual(expect.any(String));

      const revoked = await apiRequest(api).post(`/v1/api-keys/${created.body.id}/revoke`).expect(200);
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
      await apiRequest(api, key).get('/v1/usage').expect(401);
      // Again: nothing changes.
      const again = await apiRequest(api).post(`/v1/api-keys/${created.body.id}/revoke`).expect(200);
      expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    });

    it('GET /v1/api-keys/current answers each caller with its own key, as GET /v1/api-keys/{id} shows it', async () => {
      for (const caller of ['admin', 'auditor', 'sender in scope', 'sender out of scope'] as const) {
        const own = await apiRequest(api, keys[caller]).get('/v1/api-keys/current').expect(200);
        expect(own.headers['content-type']).toMatch(/^application\/json/);
        const byId = await apiRequest(api).get(`/v1/api-keys/${keyIds[caller]}`).expect(200);
        expect({ caller, body: own.body }).toEqual({ caller, body: { ...byId.body, lastUsedAt: expect.any(String) } });
        expect(own.body).not.toHaveProperty('key');
        expect(JSON.stringify(own.body)).not.toContain(keys[caller].slice(17));
      }
      const sender = await apiRequest(api, keys['sender in scope']).get('/v1/api-keys/current').expect(200);
      expect(sender.body).toMatchObject({ id: keyIds['sender in scope'], name: 'matrix-sender', role: 'sender', chatConfigurations: [expect.any(String)] });
      const auditor = await apiRequest(api, keys.auditor).get('/v1/api-keys/current').expect(200);
      expect(auditor.body).toMatchObject({ id: keyIds.auditor, role: 'auditor', chatConfigurations: null, revokedAt: null });
      // "current" is no key id anywhere else: the other routes under /v1/api-keys/:id still take it as one.
      await apiRequest(api).post('/v1/api-keys/current/revoke').expect(404);
      await apiRequest(api, keys['revoked key']).get('/v1/api-keys/current').expect(401);
    });

    it('pages the list with nextToken, every key once', async () => {
      for (let i = 0; i < 3; i++) await createTestApiKey(api, { role: 'auditor', name: `paging-${i}` });
      const existing: { id: string }[] = await api.get(DataSource).query(`SELECT id FROM api_keys`);
      const seen: string[] = [];
      let nextToken: string | null = null;
      do {
        const res: Response = await apiRequest(api)
          .get('/v1/api-keys')
          .query({ maxResults: 2, ...(nextToken ? { nextToken } : {}) })
          .expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        for (const item of res.body.items) {
          expect(Object.keys(item).sort()).toEqual(
            ['chatConfigurations', 'createdAt', 'createdBy', 'expiresAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'role'],
          );
          seen.push(item.id);
        }
        nextToken = res.body.nextToken;
      } while (nextToken);
      expect(new Set(seen).size).toBe(seen.length);
      // Suites running alongside may add keys while this one pages; every key that was there before is listed.
      expect(seen).toEqual(expect.arrayContaining(existing.map((k) => k.id)));
    });

    it('refuses invalid requests field by field', async () => {
      const res = await apiRequest(api).post('/v1/api-keys').send({ name: '', role: 'root', expiresAt: 'tomorrow' }).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['expiresAt', 'name', 'role']);
      const sender = await apiRequest(api).post('/v1/api-keys').send({ name: 'no scope', role: 'sender' }).expect(400);
      expect(sender.body.details.map((d: { field: string }) => d.field)).toContain('chatConfigurations');
      const scopedAdmin = await apiRequest(api).post('/v1/api-keys').send({ name: 'x', role: 'admin', chatConfigurations: ['a'] }).expect(400);
      expect(scopedAdmin.body.details).toEqual([{ field: 'chatConfigurations', message: expect.stringContaining('only sender keys') }]);
      const past = await apiRequest(api).post('/v1/api-keys').send({ name: 'x', role: 'auditor', expiresAt: '2020-01-01T00:00:00Z' }).expect(400);
      expect(past.body.details).toEqual([{ field: 'expiresAt', message: 'must be in the future' }]);
      await apiRequest(api).get('/v1/api-keys/not-a-uuid').expect(404);
    });
  });

  describe('audit', () => {
    it('records the acting key on key changes and sends', async () => {
      const created = await apiRequest(api, keys.admin).post('/v1/api-keys').send({ name: 'audited', role: 'auditor' }).expect(201);
      await apiRequest(api, keys.admin).post(`/v1/api-keys/${created.body.id}/revoke`).expect(200);
      const send = await apiRequest(api, keys['sender in scope']).post('/v1/sends').send(SEND_BODY).expect(202);
      const events: { action: string; target_id: string; actor_key_id: string; actor_name: string; actor_role: string; details: object }[] =
        await api.get(DataSource).query(
          `SELECT action, target_id, actor_key_id, actor_name, actor_role, details FROM audit_events
            WHERE target_id IN ($1, $2) ORDER BY id`,
          [created.body.id, send.body.id],
        );
      expect(events).toEqual([
        expect.objectContaining({ action: 'api-key.create', target_id: created.body.id, actor_key_id: adminKeyId, actor_name: 'matrix-admin', actor_role: 'admin' }),
        expect.objectContaining({ action: 'api-key.revoke', target_id: created.body.id, actor_key_id: adminKeyId, actor_name: 'matrix-admin', actor_role: 'admin' }),
        expect.objectContaining({ action: 'send.create', target_id: send.body.id, actor_key_id: keyIds['sender in scope'], actor_name: 'matrix-sender', actor_role: 'sender' }),
      ]);
      expect(JSON.stringify(events)).not.toContain(created.body.key.slice(17));
    });
  });
});

describe('per-key rate limit', () => {
  const prefix = uniqueQueuePrefix('api-rate');
  let api: INestApplication;

  beforeAll(async () => {
    api = await startTestApi({
      queuePrefix: prefix,
      robotCode: 'rate-robot',
      env: { API_KEY_RATE_LIMIT_PER_SECOND: '1', API_KEY_RATE_LIMIT_BURST: '3' },
    });
  });

  afterAll(async () => {
    await api?.close();
    await deleteQueuePrefix(prefix);
  });

  it('answers 429 with Retry-After beyond the burst, counts each key on its own, and lets the key in again later', async () => {
    const busy = await createTestApiKey(api, { role: 'auditor', name: 'busy' });
    const other = await createTestApiKey(api, { role: 'auditor', name: 'quiet' });
    const statuses: number[] = [];
    let refused: { headers: Record<string, string>; body: unknown } | undefined;
    for (let i = 0; i < 5; i++) {
      const res = await apiRequest(api, busy.key).get('/v1/usage');
      statuses.push(res.status);
      if (res.status === 429) refused ??= res;
    }
    // At 1/s a slot may free up during the run: the burst passes, and at least the last ones are refused.
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(refused?.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(refused?.body).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS', requestId: expect.any(String), details: [] });

    await apiRequest(api, other.key).get('/v1/usage').expect(200);

    await new Promise((resolve) => setTimeout(resolve, Number(refused?.headers['retry-after']) * 1000));
    await apiRequest(api, busy.key).get('/v1/usage').expect(200);
  });

});

describe('the first admin key from BOOTSTRAP_ADMIN_API_KEY', () => {
  const prefix = uniqueQueuePrefix('api-bootstrap');
  // A database of its own: the shared one always has admin keys (every suite's test admin).
  const databaseUrl = `${testDatabaseUrl()}_boot_${randomBytes(4).toString('hex')}`;
  const apps: INestApplication[] = [];

  afterAll(async () => {
    for (const app of apps) await app.close();
    await deleteQueuePrefix(prefix);
    await dropTestDatabase(databaseUrl);
  });

  const start = async (bootstrapKey: string): Promise<INestApplication> => {
    await prepareTestDatabase(databaseUrl);
    const app = await startTestApi({
      queuePrefix: prefix,
      robotCode: 'bootstrap-robot',
      env: { DATABASE_URL: databaseUrl, BOOTSTRAP_ADMIN_API_KEY: bootstrapKey },
    });
    apps.push(app);
    return app;
  };

  it('is stored hashed when no admin key exists, audited as the system, and ignored once one does', async () => {
    const first = generateApiKey().key;
    const app = await start(first);
    const res = await apiRequest(app, first).get('/v1/api-keys').expect(200);
    const stored = res.body.items.find((k: { prefix: string }) => k.prefix === first.slice(0, 17));
    expect(stored).toMatchObject({ name: 'bootstrap-admin', role: 'admin', createdBy: 'system:bootstrap', revokedAt: null });
    const db = app.get(DataSource);
    const [row] = await db.query(`SELECT secret_hash FROM api_keys WHERE id = $1`, [stored.id]);
    expect(row.secret_hash.toString('hex')).toBe(createHash('sha256').update(first).digest('hex'));
    const events = await db.query(`SELECT actor_key_id, actor_name FROM audit_events WHERE action = 'api-key.create' AND target_id = $1`, [stored.id]);
    expect(events).toEqual([{ actor_key_id: null, actor_name: 'system:bootstrap' }]);

    // An admin exists now: another bootstrap key is not stored.
    const second = generateApiKey().key;
    const again = await start(second);
    await apiRequest(again, second).get('/v1/api-keys').expect(401);
    await apiRequest(again, first).get('/v1/api-keys').expect(200);
  });

  it('keeps the last active admin key: revoking it is a 409, so nobody locks every administrator out', async () => {
    const app = apps[0]!;
    // This database only: leave exactly two admin keys.
    await app.get(DataSource).query(`UPDATE api_keys SET revoked_at = now() WHERE revoked_at IS NULL`);
    const first = await createTestApiKey(app, { role: 'admin', name: 'first-admin' });
    const second = await createTestApiKey(app, { role: 'admin', name: 'second-admin' });
    await apiRequest(app, first.key).post(`/v1/api-keys/${second.id}/revoke`).expect(200);
    const refused = await apiRequest(app, first.key).post(`/v1/api-keys/${first.id}/revoke`).expect(409);
    expect(refused.body).toMatchObject({ code: 'CONFLICT', details: [{ field: 'id', message: 'is the last active admin key' }] });
    await apiRequest(app, first.key).get(`/v1/api-keys/${first.id}`).expect(200);
    // Another admin first, then the old one can go.
    const third = await apiRequest(app, first.key).post('/v1/api-keys').send({ name: 'third-admin', role: 'admin' }).expect(201);
    await apiRequest(app, third.body.key).post(`/v1/api-keys/${first.id}/revoke`).expect(200);
  });

  it('refuses to start with a malformed key, naming the variable and not the value', () => {
    let error: unknown;
    try {
      validateConfig(ApiConfig, { DINGTALK_ROBOT_CODE: 'robot', BOOTSTRAP_ADMIN_API_KEY: 'drk_short-secret-value' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/BOOTSTRAP_ADMIN_API_KEY: must be drk_/);
    expect((error as ConfigError).message).not.toContain('short-secret-value');
  });
});
