import { randomBytes } from 'node:crypto';
import { startDingTalkSimulator, type DingTalkSimulator } from '@dingrelay/dingtalk-sim';
import { generateApiKey } from '@dingrelay/domain';
import {
  type ApiProcess,
  buildApiApp,
  buildWorkerApp,
  deleteQueuePrefix,
  type ManagedProcess,
  prepareTestDatabase,
  stackEnv,
  startApiProcess,
  startWorkerProcess,
  testDatabaseUrl,
  testRedisUrl,
  testSecretEncryptionKeys,
  uniqueQueuePrefix,
  waitFor,
} from '@dingrelay/testing';
import { Redis } from 'ioredis';
import pg from 'pg';

/**
 * "Logs contain no secret", with the real processes: the built API and worker run at LOG_LEVEL=verbose while the test
 * creates a chat configuration, uses bad keys, has DingTalk reject a token and refuse a wrong app secret, and sends.
 * Every line either process printed must be one JSON object with the documented fields, lines written while serving
 * a request must carry its X-Request-Id (the worker's too, for the batches that request enqueued), and no secret the
 * processes held may appear anywhere: app secrets, API keys' secret parts, the configuration's generated AES key and
 * callback token, DingTalk access tokens, the encryption keys, the database password.
 *
 * Its own database, recreated per run: a worker's reconciler scans every open batch of its database.
 */
const TIMEOUT_MS = 240_000;
const APP = { appKey: 'logs-app', appSecret: `app-secret-${randomBytes(12).toString('hex')}`, robotCode: 'logs-robot' };
const OTHER_APP = { appKey: 'logs-other-app', appSecret: `other-secret-${randomBytes(12).toString('hex')}`, robotCode: 'logs-other-robot' };
/** What the second configuration is (wrongly) given as its app secret. */
const WRONG_SECRET = `wrong-secret-${randomBytes(12).toString('hex')}`;
const DB_PASSWORD = `db-pw-${randomBytes(8).toString('hex')}`;

/** The dedicated database, reached with a password (trust auth ignores it), which must never be logged. */
function databaseUrl(): { plain: string; withPassword: string } {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_logs`;
  const plain = url.toString();
  url.password = DB_PASSWORD;
  return { plain, withPassword: url.toString() };
}

interface LogLine {
  time: string;
  level: string;
  context?: string;
  message: string;
  pid: number;
  requestId?: string;
  keyPrefix?: string;
  jobId?: string;
  batchId?: string;
  sendId?: string;
  route?: string;
  method?: string;
  status?: number;
  durationMs?: number;
}

describe('logs: structured, with request ids, and no secret in any line', () => {
  const db = databaseUrl();
  const prefix = uniqueQueuePrefix('logs');
  const adminKey = generateApiKey();
  const encryptionKeys = testSecretEncryptionKeys();
  let sim: DingTalkSimulator;
  let api: ApiProcess;
  let worker: ManagedProcess;
  let redis: Redis;
  let pool: pg.Pool;
  const accessTokens = new Set<string>();

  const call = (path: string, init: RequestInit & { requestId: string; key?: string | null }) =>
    fetch(`${api.url}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        'x-request-id': init.requestId,
        ...(init.key === null ? {} : { authorization: `Bearer ${init.key ?? adminKey.key}` }),
        ...(init.headers as Record<string, string> | undefined),
      },
    });

  /** Every access token the app has been issued so far, as the worker caches it in Redis. */
  async function collectAccessTokens(): Promise<void> {
    for (const appKey of [APP.appKey, OTHER_APP.appKey]) {
      const raw = await redis.get(`${prefix}:dingtalk:access-token:${appKey}`);
      if (raw) accessTokens.add((JSON.parse(raw) as { accessToken: string }).accessToken);
    }
  }

  async function sendAndWait(requestId: string, body: Record<string, unknown>): Promise<string> {
    const res = await call('/v1/sends', { method: 'POST', requestId, body: JSON.stringify(body) });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await waitFor(
      async () => ((await (await call(`/v1/sends/${id}`, { requestId: `${requestId}-poll` })).json()) as { status: string }).status,
      (status) => status === 'completed',
      { timeoutMs: 120_000, intervalMs: 200, description: `send ${id} to complete` },
    );
    return id;
  }

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: Object.assign(new URL(db.plain), { pathname: '/postgres' }).toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(new URL(db.plain).pathname.slice(1))} WITH (FORCE)`);
    await admin.end();
    await Promise.all([buildApiApp(), buildWorkerApp(), prepareTestDatabase(db.plain)]);
    sim = await startDingTalkSimulator({ apps: [APP, OTHER_APP], users: { pattern: '^staff-\\d+$' } });
    redis = new Redis(testRedisUrl());
    pool = new pg.Pool({ connectionString: db.plain, max: 2 });
    const env = {
      ...stackEnv({ databaseUrl: db.withPassword, queuePrefix: prefix, dingTalkUrl: sim.url, app: APP }),
      SECRET_ENCRYPTION_KEYS: encryptionKeys,
      LOG_LEVEL: 'verbose',
      LOG_FORMAT: 'json',
      RETRY_BASE_DELAY_MS: '200',
      DELIVERY_MAX_ATTEMPTS: '2',
    };
    // The API first: it creates the default configuration and stores the bootstrap admin key (a fresh database).
    api = await startApiProcess({ name: 'logs api', env: { ...env, BOOTSTRAP_ADMIN_API_KEY: adminKey.key }, keepLines: 100_000 });
    worker = await startWorkerProcess({ name: 'logs worker', env, keepLines: 100_000 });
  }, TIMEOUT_MS);

  afterAll(async () => {
    await Promise.allSettled([api?.stop(), worker?.stop('SIGTERM', 30_000)]);
    await sim?.close();
    await redis?.quit();
    await pool?.end();
    await deleteQueuePrefix(prefix).catch(() => undefined);
  }, 60_000);

  it(
    'every line of the API and the worker is JSON with the fields, carries the request id, and holds no secret',
    async () => {
      // A chat configuration with secrets (the answer shows its generated AES key and callback token, once), whose
      // app secret DingTalk will refuse.
      const created = await call('/v1/chat-configurations', {
        method: 'POST',
        requestId: 'logs-create-configuration',
        body: JSON.stringify({
          name: 'logs-wrong-secret',
          type: 'DingTalk',
          configuration: { clientId: OTHER_APP.appKey, clientSecret: WRONG_SECRET, robotCode: OTHER_APP.robotCode },
        }),
      });
      expect(created.status).toBe(201);
      const outputs = ((await created.json()) as { outputs: { aesKey: string; callbackToken: string } }).outputs;

      // Bad keys: a well-formed unknown one (its prefix may be logged, never the rest), a malformed one, none.
      const unknownKey = generateApiKey();
      expect((await call('/v1/sends', { requestId: 'logs-unknown-key', key: unknownKey.key })).status).toBe(401);
      const malformed = `drk_${randomBytes(20).toString('hex')}`;
      expect((await call('/v1/sends', { requestId: 'logs-malformed-key', key: malformed })).status).toBe(401);
      expect((await call('/v1/sends', { requestId: 'logs-no-key', key: null })).status).toBe(401);

      const msg = { msgKey: 'sampleText', msgParam: { content: 'logs test' } };
      const users = (from: number) => Array.from({ length: 45 }, (_, i) => `staff-${from + i}`);
      await sendAndWait('logs-send-1', { ...msg, userIds: users(0) });
      await collectAccessTokens();
      // DingTalk stops accepting the token: the worker's next call is refused and it fetches a new one.
      sim.expireAllTokens();
      await sendAndWait('logs-send-2', { ...msg, userIds: users(100) });
      await collectAccessTokens();
      expect(accessTokens.size).toBeGreaterThanOrEqual(2);

      // DingTalk refuses the wrong app secret: the send through that configuration fails, and says why in the logs.
      const refused = await call('/v1/sends', {
        method: 'POST',
        requestId: 'logs-send-refused',
        body: JSON.stringify({ ...msg, userIds: users(200), chatConfiguration: 'logs-wrong-secret' }),
      });
      expect(refused.status).toBe(202);
      const refusedId = ((await refused.json()) as { id: string }).id;
      await waitFor(
        async () => (await pool.query(`SELECT count(*)::int AS n FROM batches WHERE send_id = $1 AND last_error_code IS NOT NULL`, [refusedId])).rows[0].n as number,
        (n) => n > 0,
        { timeoutMs: 60_000, intervalMs: 200, description: 'the refused token fetch to be recorded' },
      );

      // A configuration whose secrets cannot be decrypted (its key removed before re-encryption): the API refuses
      // the send or the worker fails its batches, and either way says so without any secret.
      const unreadable = await call('/v1/chat-configurations', {
        method: 'POST',
        requestId: 'logs-create-unreadable',
        body: JSON.stringify({
          name: 'logs-unreadable',
          type: 'DingTalk',
          configuration: { clientId: APP.appKey, clientSecret: APP.appSecret, robotCode: APP.robotCode },
        }),
      });
      expect(unreadable.status).toBe(201);
      const unreadableOutputs = ((await unreadable.json()) as { outputs: { aesKey: string; callbackToken: string } }).outputs;
      await pool.query(`UPDATE chat_configurations SET secret_key_id = 'removed-key' WHERE name = 'logs-unreadable'`);
      const undecryptable = await call('/v1/sends', {
        method: 'POST',
        requestId: 'logs-send-unreadable',
        body: JSON.stringify({ ...msg, userIds: users(300), chatConfiguration: 'logs-unreadable' }),
      });
      expect([202, 503]).toContain(undecryptable.status);
      if (undecryptable.status === 202) {
        await worker.waitForLine(/"level":"error".*"requestId":"logs-send-unreadable"|"requestId":"logs-send-unreadable".*"level":"error"/, 60_000);
      }

      // Both processes stop the way production stops them, so their shutdown lines are checked too.
      await Promise.all([api.stop(), worker.stop('SIGTERM', 30_000)]);
      expect(api.process.exitStatus).toEqual({ code: 0, signal: null });
      expect(worker.exitStatus).toEqual({ code: 0, signal: null });

      const apiLines = api.process.linesMatching(/.*/).filter((l) => l.length > 0);
      const workerLines = worker.linesMatching(/.*/).filter((l) => l.length > 0);
      expect(apiLines.length).toBeGreaterThan(50);
      expect(workerLines.length).toBeGreaterThan(20);

      // One JSON object per line, with the documented fields.
      const parse = (line: string): LogLine => {
        try {
          return JSON.parse(line) as LogLine;
        } catch {
          throw new Error(`not a JSON line: ${line}`);
        }
      };
      const apiLog = apiLines.map(parse);
      const workerLog = workerLines.map(parse);
      for (const line of [...apiLog, ...workerLog]) {
        expect(line).toEqual(
          expect.objectContaining({ time: expect.any(String), level: expect.any(String), message: expect.any(String), pid: expect.any(Number) }),
        );
        expect(new Date(line.time).toISOString()).toBe(line.time);
        expect(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']).toContain(line.level);
      }
      // LOG_LEVEL=verbose lets the worker's per-batch debug lines through.
      expect(workerLog.some((l) => l.level === 'debug')).toBe(true);

      // Request ids: the access log line of each request, and the worker's lines about the batches a request enqueued.
      const access = (requestId: string) => apiLog.filter((l) => l.context === 'Http' && l.requestId === requestId);
      expect(access('logs-send-1')).toEqual([
        expect.objectContaining({ method: 'POST', route: '/v1/sends', status: 202, durationMs: expect.any(Number), keyPrefix: adminKey.prefix }),
      ]);
      expect(access('logs-unknown-key')).toEqual([expect.objectContaining({ status: 401, route: '/v1/sends', keyPrefix: unknownKey.prefix })]);
      expect(access('logs-malformed-key')).toEqual([expect.objectContaining({ status: 401 })]);
      expect(access('logs-create-configuration')).toEqual([expect.objectContaining({ status: 201, route: '/v1/chat-configurations' })]);
      const workerLinesOf = (requestId: string) => workerLog.filter((l) => l.requestId === requestId);
      expect(workerLinesOf('logs-send-1').length).toBeGreaterThanOrEqual(3);
      for (const line of workerLinesOf('logs-send-1')) {
        expect(line).toEqual(expect.objectContaining({ jobId: expect.any(String), batchId: expect.any(String) }));
      }
      expect(workerLinesOf('logs-send-refused').some((l) => l.level === 'warn' || l.level === 'error' || /failed/.test(l.message))).toBe(true);

      // No secret, anywhere, in any form it was held.
      const everything = [...apiLines, ...workerLines].join('\n');
      const secrets: Record<string, string> = {
        'the default configuration app secret': APP.appSecret,
        'the wrong app secret': WRONG_SECRET,
        'the admin key': adminKey.key.slice(`drk_${adminKey.prefix}_`.length),
        'the unknown key': unknownKey.key.slice(`drk_${unknownKey.prefix}_`.length),
        'the malformed key': malformed.slice(4),
        'the AES key': outputs.aesKey,
        'the callback token': outputs.callbackToken,
        'the unreadable configuration AES key': unreadableOutputs.aesKey,
        'the unreadable configuration callback token': unreadableOutputs.callbackToken,
        'the database password': DB_PASSWORD,
        ...Object.fromEntries([...accessTokens].map((t, i) => [`access token #${i + 1}`, t])),
        ...Object.fromEntries(encryptionKeys.split(',').map((entry, i) => [`encryption key #${i + 1}`, entry.slice(entry.indexOf(':') + 1)])),
      };
      const leaked = Object.entries(secrets)
        .filter(([, value]) => everything.includes(value))
        .map(([name]) => `${name}: ${[...apiLines, ...workerLines].find((l) => l.includes(secrets[name]!))}`);
      expect(leaked).toEqual([]);
    },
    TIMEOUT_MS,
  );
});
