import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { ExportLinkResponse, RecipientHistoryItem } from '@dingrelay/contracts';
import { deleteQueuePrefix, openTestDataSource, testRedisUrl, uniqueQueuePrefix, waitFor } from '@dingrelay/testing';
import { Redis } from 'ioredis';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { OutputCapture } from './support/capture-output.js';
import { insertHistorySend, parseCsv } from './support/history-fixtures.js';
import { apiRequest, createTestApiKey, ensureTestChatConfiguration, startTestApi } from './support/test-api.js';

/** A response body exactly as sent, bytes and all (a byte order mark included). */
function asBytes(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const LINK_URL = /^\/v1\/exports\/downloads\/[A-Za-z0-9_-]{43}$/;
const UNUSABLE = { status: 404, code: 'NOT_FOUND', message: 'This download link is unknown, already used or expired; create a new one' };

describe('export download links: POST /v1/exports/links, GET /v1/exports/downloads/{token}', () => {
  let api: INestApplication;
  let db: DataSource;
  let redis: Redis;
  const capture = new OutputCapture();
  const prefix = uniqueQueuePrefix('export-links');
  const run = randomUUID().slice(0, 8);
  const cfg = `links-cfg-${run}`;
  const user = `links-user-${run}`;
  const tokens: string[] = [];
  let auditor = { id: '', key: '' };

  beforeAll(async () => {
    capture.start();
    // Room for the racing downloads below, whatever the default caps: the races are of one key's downloads, and
    // must reach the link, not the key's share of the places (EXPORTS_PER_KEY).
    api = await startTestApi({ queuePrefix: prefix, robotCode: 'links-robot', env: { EXPORTS_AT_ONCE: '5', EXPORTS_PER_KEY: '5' } });
    capture.attach(api);
    db = await openTestDataSource();
    redis = new Redis(testRedisUrl());
    auditor = await createTestApiKey(api, { role: 'auditor', name: `links-auditor-${run}` });
    for (let i = 0; i < 4; i++) {
      await insertHistorySend(db, {
        chatConfiguration: cfg,
        createdAt: new Date(Date.UTC(2025, 9, 1, i)).toISOString(),
        state: i === 1 ? 'cancelled' : 'completed',
        recipients: [
          { userId: user, status: 'failed', reasonCode: '400002', reasonMessage: `员工已离职（第${i}次）, "已通知"` },
          { userId: `${user}-同事-${i}` },
        ],
      });
    }
  });

  afterAll(async () => {
    capture.stop();
    await api?.close();
    await db?.destroy();
    redis?.disconnect();
    await deleteQueuePrefix(prefix);
  });

  const linkKeys = async () => redis.keys(`${prefix}:export-link:*`);

  async function createLink(body: object, key = auditor.key): Promise<ExportLinkResponse> {
    const res = await apiRequest(api, key).post('/v1/exports/links').send(body);
    expect({ status: res.status, body: res.status === 201 ? 'ok' : res.body }).toEqual({ status: 201, body: 'ok' });
    const link = res.body as ExportLinkResponse;
    tokens.push(link.url.split('/').pop()!);
    return link;
  }

  /** GET without any key, as a browser's download manager does. */
  const download = (url: string) => request(api.getHttpServer()).get(url).buffer(true).parse(asBytes);

  it('a link downloads the export once without a key: same headers and bytes as the export itself', async () => {
    const before = Date.now();
    const link = await createLink({ export: 'recipients', bom: true, filters: { chatConfiguration: cfg } });
    expect(link.url).toMatch(LINK_URL);
    const expiresIn = Date.parse(link.expiresAt) - before;
    expect(expiresIn).toBeGreaterThan(55_000);
    expect(expiresIn).toBeLessThanOrEqual(61_000);

    const res = await download(link.url);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="recipients-\d{8}T\d{6}Z\.csv"$/);
    expect(res.headers['cache-control']).toBe('no-store');
    const bytes = res.body as Buffer;
    expect(bytes.subarray(0, 3)).toEqual(BOM);

    const direct = await apiRequest(api, auditor.key)
      .get('/v1/exports/recipients')
      .query({ chatConfiguration: cfg, bom: 'true' })
      .buffer(true)
      .parse(asBytes);
    expect(direct.status).toBe(200);
    expect(bytes.equals(direct.body as Buffer)).toBe(true);
    const [header, ...rows] = parseCsv(bytes.subarray(3).toString('utf8'));
    expect(header![0]).toBe('sendId');
    expect(rows).toHaveLength(8);
    expect(rows.map((r) => r[header!.indexOf('reasonMessage')])).toContain('员工已离职（第2次）, "已通知"');

    const again = await download(link.url);
    expect(again.status).toBe(404);
    expect(JSON.parse((again.body as Buffer).toString('utf8'))).toEqual({ ...UNUSABLE, details: [], requestId: expect.any(String) });
  });

  it("NDJSON through a link holds exactly the direct export's rows", async () => {
    const link = await createLink({ export: 'recipients', format: 'ndjson', filters: { userId: user, status: 'failed' } });
    const res = await download(link.url);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const rows = (res.body as Buffer).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as RecipientHistoryItem);
    const direct = await apiRequest(api, auditor.key).get('/v1/exports/recipients').query({ userId: user, status: 'failed', format: 'ndjson' }).buffer(true).parse(asBytes);
    expect(rows).toEqual((direct.body as Buffer).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as RecipientHistoryItem));
    expect(rows).toHaveLength(4);

    const sends = await createLink({ export: 'sends', filters: { chatConfiguration: cfg, status: 'cancelled' } });
    const file = await download(sends.url);
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/filename="sends-\d{8}T\d{6}Z\.csv"/);
    const [header, ...sendRows] = parseCsv((file.body as Buffer).toString('utf8'));
    expect((file.body as Buffer).subarray(0, 3).equals(BOM)).toBe(false);
    expect(sendRows.map((r) => r[header!.indexOf('status')])).toEqual(['cancelled']);
  });

  it('HEAD tells whether a link works and what it would download, without using it up', async () => {
    const link = await createLink({ export: 'sends', format: 'ndjson', filters: { chatConfiguration: cfg } });
    for (let i = 0; i < 2; i++) {
      const probe = await request(api.getHttpServer()).head(link.url);
      expect(probe.status).toBe(200);
      expect(probe.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
      expect(probe.headers['content-disposition']).toMatch(/^attachment; filename="sends-\d{8}T\d{6}Z\.ndjson"$/);
    }
    expect((await download(link.url)).status).toBe(200);
    expect((await request(api.getHttpServer()).head(link.url)).status).toBe(404);
    expect((await request(api.getHttpServer()).head(`/v1/exports/downloads/${randomBytes(32).toString('base64url')}`)).status).toBe(404);
  });

  it('two downloads racing with one link: exactly one gets the file', async () => {
    const link = await createLink({ export: 'sends', filters: { chatConfiguration: cfg } });
    const results = await Promise.all([download(link.url), download(link.url), download(link.url)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 404, 404]);
  });

  it('unknown, malformed and used tokens get the same 404, and Redis never held a token', async () => {
    const unknown = await download(`/v1/exports/downloads/${randomBytes(32).toString('base64url')}`);
    const malformed = await download('/v1/exports/downloads/not-a-token');
    for (const res of [unknown, malformed]) {
      expect(res.status).toBe(404);
      expect(JSON.parse((res.body as Buffer).toString('utf8'))).toEqual({ ...UNUSABLE, details: [], requestId: expect.any(String) });
    }
    const link = await createLink({ export: 'sends', filters: {} });
    const stored = await linkKeys();
    expect(stored.length).toBeGreaterThan(0);
    for (const key of stored) {
      expect(key).toMatch(new RegExp(`^${prefix}:export-link:[0-9a-f]{64}$`));
      const value = (await redis.get(key)) ?? '';
      for (const token of tokens) expect(`${key} ${value}`).not.toContain(token);
    }
    // Unused links expire in Redis by themselves.
    const ttls = await Promise.all(stored.map((k) => redis.pttl(k)));
    expect(ttls.every((t) => t > 0 && t <= 60_000)).toBe(true);
    await download(link.url);
  });

  it("a link of a key revoked (or expired) since is refused, and used up", async () => {
    const doomed = await createTestApiKey(api, { role: 'auditor', name: `links-doomed-${run}` });
    const revokedLink = await createLink({ export: 'sends', filters: { chatConfiguration: cfg } }, doomed.key);
    await apiRequest(api).post(`/v1/api-keys/${doomed.id}/revoke`).expect(200);
    const refused = await download(revokedLink.url);
    expect(refused.status).toBe(404);
    expect(JSON.parse((refused.body as Buffer).toString('utf8'))).toMatchObject(UNUSABLE);

    const expiring = await createTestApiKey(api, { role: 'admin', name: `links-expiring-${run}` });
    const expiredLink = await createLink({ export: 'sends', filters: { chatConfiguration: cfg } }, expiring.key);
    await db.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [expiring.id]);
    expect((await download(expiredLink.url)).status).toBe(404);
    expect(capture.text()).toContain('a download link was refused: the key that created it was revoked');
  });

  it('only keys with records.read create links; refused requests store nothing', async () => {
    await ensureTestChatConfiguration(api, cfg);
    const sender = await createTestApiKey(api, { role: 'sender', name: `links-sender-${run}`, chatConfigurations: [cfg] });
    const before = (await linkKeys()).length;
    const body = { export: 'recipients', filters: { chatConfiguration: cfg } };
    const asSender = await apiRequest(api, sender.key).post('/v1/exports/links').send(body);
    expect(asSender.status).toBe(403);
    expect(asSender.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const withoutKey = await apiRequest(api, null).post('/v1/exports/links').send(body);
    expect(withoutKey.status).toBe(401);
    expect(withoutKey.headers['www-authenticate']).toMatch(/^Bearer/);
    const withBadKey = await apiRequest(api, `drk_${'0'.repeat(12)}_${randomBytes(32).toString('base64url')}`).post('/v1/exports/links').send(body);
    expect(withBadKey.status).toBe(401);
    expect((await linkKeys()).length).toBe(before);
  });

  it.each([
    [{ filters: {} }, 'export'],
    [{ export: 'audit-events', filters: {} }, 'export'],
    [{ export: 'sends' }, 'filters'],
    [{ export: 'sends', filters: [] }, 'filters'],
    [{ export: 'sends', filters: { createdFrom: 'yesterday' } }, 'filters.createdFrom'],
    [{ export: 'sends', filters: { createdFrom: '2025-03-02T00:00:00Z', createdTo: '2025-03-01T00:00:00Z' } }, 'filters.createdFrom'],
    [{ export: 'recipients', filters: { createdFrom: '2025-03-02T00:00:00Z', createdTo: '2025-03-01T00:00:00Z' } }, 'filters.createdFrom'],
    [{ export: 'sends', filters: { userId: 'u1' } }, 'filters.userId'],
    [{ export: 'recipients', filters: { status: 'completed' } }, 'filters.status'],
    [{ export: 'recipients', filters: { requester: 'ops' } }, 'filters.requester'],
    [{ export: 'sends', filters: { maxResults: 10 } }, 'filters.maxResults'],
    [{ export: 'sends', filters: { format: 'ndjson' } }, 'filters.format'],
    [{ export: 'sends', format: 'xlsx', filters: {} }, 'format'],
    [{ export: 'sends', format: 'ndjson', bom: true, filters: {} }, 'bom'],
    [{ export: 'sends', bom: 'yes', filters: {} }, 'bom'],
    [{ export: 'sends', filters: {}, ttl: 3600 }, 'ttl'],
  ])('%o → 400 naming %s, nothing stored', async (body, field) => {
    const before = (await linkKeys()).length;
    const res = await apiRequest(api, auditor.key).post('/v1/exports/links').send(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', requestId: expect.any(String) });
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect((await linkKeys()).length).toBe(before);
  });

  describe('on a server with EXPORT_LINK_TTL_MS=1000 and EXPORTS_AT_ONCE=1', () => {
    const quickPrefix = `${prefix}-quick`;
    const big = `links-big-${run}`;
    let quick: INestApplication;
    let key = '';

    beforeAll(async () => {
      quick = await startTestApi({ queuePrefix: quickPrefix, robotCode: 'links-robot', env: { EXPORT_LINK_TTL_MS: '1000', EXPORTS_AT_ONCE: '1' } });
      key = (await createTestApiKey(quick, { role: 'auditor' })).key;
      // Enough rows (~8 MB of CSV) that an export whose client does not read stays open.
      const sendId = await insertHistorySend(db, { chatConfiguration: big, recipients: [] });
      await db.query(
        `INSERT INTO recipients (send_id, user_id, batch_id, status, reason_message)
         SELECT $1, 'big-user-' || g, (SELECT id FROM batches WHERE send_id = $1), 'failed', repeat('x', 100)
           FROM generate_series(1, 40000) g`,
        [sendId],
      );
    });

    afterAll(async () => {
      await quick?.close();
      await deleteQueuePrefix(quickPrefix);
    });

    async function quickLink(): Promise<string> {
      const res = await request(quick.getHttpServer())
        .post('/v1/exports/links')
        .set('Authorization', `Bearer ${key}`)
        .send({ export: 'sends', filters: { chatConfiguration: cfg } });
      expect(res.status).toBe(201);
      const link = res.body as ExportLinkResponse;
      tokens.push(link.url.split('/').pop()!);
      expect(Date.parse(link.expiresAt) - Date.now()).toBeLessThanOrEqual(1_000);
      return link.url;
    }

    /** An export whose client does not read: it holds the server's one export place. */
    function openStalledExport(): Promise<http.IncomingMessage> {
      const server = quick.getHttpServer() as http.Server;
      if (!server.listening) server.listen(0, '127.0.0.1');
      return new Promise((resolve, reject) => {
        const go = () => {
          const { port } = server.address() as AddressInfo;
          const path = `/v1/exports/recipients?chatConfiguration=${big}`;
          const req = http.get({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${key}` } }, resolve);
          req.on('error', reject);
        };
        if (server.listening) go();
        else server.once('listening', go);
      });
    }

    it('a link expires after EXPORT_LINK_TTL_MS', async () => {
      const url = await quickLink();
      await new Promise((resolve) => setTimeout(resolve, 1_300));
      const expired = await request(quick.getHttpServer()).get(url);
      expect(expired.status).toBe(404);
      expect(expired.body).toMatchObject(UNUSABLE);
    });

    it('a server busy with exports answers 429 without using the link up', async () => {
      const stalled = await openStalledExport();
      expect(stalled.statusCode).toBe(200);
      stalled.pause();
      try {
        const url = await quickLink();
        const busy = await request(quick.getHttpServer()).get(url);
        expect(busy.status).toBe(429);
        expect(busy.body).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
        stalled.destroy();
        const status = await waitFor(
          async () => (await request(quick.getHttpServer()).get(url)).status,
          (s) => s !== 429,
          { timeoutMs: 10_000, description: 'the export place to come back' },
        );
        expect(status).toBe(200);
      } finally {
        stalled.destroy();
      }
    });
  });

  it('EXPORT_LINK_TTL_MS is checked at boot', async () => {
    for (const bad of ['0', '999', '3600001', 'soon']) {
      await expect(startTestApi({ queuePrefix: `${prefix}-bad`, robotCode: 'links-robot', env: { EXPORT_LINK_TTL_MS: bad } })).rejects.toThrow(
        /EXPORT_LINK_TTL_MS/,
      );
    }
  });

  it('no token reaches a log line (the access log names the route pattern)', () => {
    const logs = capture.text();
    expect(logs).toContain('/v1/exports/downloads/:token');
    expect(tokens.length).toBeGreaterThan(5);
    for (const token of tokens) expect(logs).not.toContain(token);
  });
});
