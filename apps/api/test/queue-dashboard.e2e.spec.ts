import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { deleteQueuePrefix, uniqueQueuePrefix } from '@dingrelay/testing';
import request from 'supertest';
import { apiRequest, createTestApiKey, startTestApi } from './support/test-api.js';

/**
 * Bull's dashboard under /admin/queues: an Express router outside Nest's routing, so the access matrix cannot see
 * it; its gate is tested here. Admin keys only, as a Bearer token or as HTTP Basic's password (a browser's login).
 */

const basic = (key: string, user = 'admin') => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;

describe('queue dashboard', () => {
  const prefix = uniqueQueuePrefix('api-dashboard');
  let api: INestApplication;
  const keys = {} as Record<'admin' | 'auditor' | 'sender' | 'revoked', string>;
  const sendIds: string[] = [];

  beforeAll(async () => {
    api = await startTestApi({ queuePrefix: prefix, robotCode: 'dashboard-robot' });
    keys.admin = (await createTestApiKey(api, { role: 'admin', name: 'dashboard-admin' })).key;
    keys.auditor = (await createTestApiKey(api, { role: 'auditor', name: 'dashboard-auditor' })).key;
    keys.sender = (await createTestApiKey(api, { role: 'sender', name: 'dashboard-sender', chatConfigurations: ['default'] })).key;
    const revoked = await createTestApiKey(api, { role: 'admin', name: 'dashboard-revoked' });
    keys.revoked = revoked.key;
    await apiRequest(api).post(`/v1/api-keys/${revoked.id}/revoke`).expect(200);
  });

  afterAll(async () => {
    // No worker consumes this suite's queue: nothing of it may stay pending for another suite's reconciler.
    if (api && sendIds.length > 0) {
      await api.get(DataSource).query(`UPDATE batches SET status = 'cancelled' WHERE status = 'pending' AND send_id = ANY($1::uuid[])`, [sendIds]);
    }
    await api?.close();
    await deleteQueuePrefix(prefix);
  });

  const dashboard = (path = '/admin/queues') => request(api.getHttpServer()).get(path);

  it.each([
    ['no credentials', undefined, 'Missing API key'],
    ['a key that is not one', 'Bearer drk_000000000000_not-a-key', 'Invalid API key'],
    ['an unknown key as the Basic password', 'unknown', 'Invalid API key'],
    ['a revoked admin key', 'revoked', 'API key revoked'],
  ])('answers 401 asking for a Basic login to %s', async (_, credentials, message) => {
    const authorization =
      credentials === 'unknown' ? basic(`drk_${'0'.repeat(12)}_${'A'.repeat(43)}`) : credentials === 'revoked' ? basic(keys.revoked) : credentials;
    const res = await (authorization ? dashboard().set('Authorization', authorization) : dashboard()).expect(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="dingrelay admin"');
    expect(res.body).toEqual({ status: 401, code: 'UNAUTHORIZED', message: expect.stringContaining(message), details: [], requestId: res.headers['x-request-id'] });
  });

  it.each(['auditor', 'sender'] as const)('answers 403 to a valid %s key, by Bearer or Basic', async (role) => {
    for (const authorization of [`Bearer ${keys[role]}`, basic(keys[role])]) {
      const res = await dashboard().set('Authorization', authorization).expect(403);
      expect(res.body).toMatchObject({ status: 403, code: 'FORBIDDEN', message: `Keys with role ${role} may not do this (allowed: admin)` });
      expect(res.headers['www-authenticate']).toBeUndefined();
    }
  });

  it('serves the dashboard page to an admin key, by Bearer or as the Basic password', async () => {
    for (const authorization of [`Bearer ${keys.admin}`, basic(keys.admin), basic(keys.admin, '')]) {
      const res = await dashboard().set('Authorization', authorization).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toMatch(/<html/i);
      expect(res.text).toContain('dingrelay');
    }
  });

  it("lists every queue dingrelay has in its JSON API, with this deployment's jobs", async () => {
    // A send nobody delivers: its batch waits on the suite's deliver-batch queue.
    const send = await apiRequest(api)
      .post('/v1/sends')
      .send({ userIds: ['user-1', 'user-2'], msgKey: 'sampleText', msgParam: { content: 'queued' } })
      .expect(202);
    sendIds.push(send.body.id);

    const res = await dashboard('/admin/queues/api/queues').set('Authorization', basic(keys.admin)).expect(200);
    const queues = res.body.queues as { name: string; counts: Record<string, number> }[];
    expect(queues.map((q) => q.name).sort()).toEqual(['deliver-batch', 'recipient-retention']);
    expect(queues.find((q) => q.name === 'deliver-batch')?.counts['waiting']).toBeGreaterThanOrEqual(1);

    await dashboard('/admin/queues/api/queues').set('Authorization', `Bearer ${keys.auditor}`).expect(403);
    await dashboard('/admin/queues/api/queues').expect(401);
  });

  const pausedOf = async (app: INestApplication, key: string): Promise<Record<string, boolean>> => {
    const res = await request(app.getHttpServer()).get('/admin/queues/api/queues').set('Authorization', `Bearer ${key}`).expect(200);
    return Object.fromEntries((res.body.queues as { name: string; isPaused: boolean }[]).map((q) => [q.name, q.isPaused]));
  };

  it('lets an admin pause and resume a queue by default', async () => {
    const put = (path: string) => request(api.getHttpServer()).put(path).set('Authorization', `Bearer ${keys.admin}`);
    await put('/admin/queues/api/queues/deliver-batch/pause').expect(200);
    expect((await pausedOf(api, keys.admin))['deliver-batch']).toBe(true);
    await put('/admin/queues/api/queues/deliver-batch/resume').expect(200);
    expect((await pausedOf(api, keys.admin))['deliver-batch']).toBe(false);
  });

  it('refuses a queue change with Basic credentials from another origin (a cross-site form post), not from its own page', async () => {
    const put = (path: string) => request(api.getHttpServer()).put(path).set('Authorization', basic(keys.admin));
    const crossSite = await put('/admin/queues/api/queues/deliver-batch/pause').set('Host', 'dingrelay.internal:8443').set('Origin', 'https://evil.example').expect(403);
    expect(crossSite.body).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/same origin/) });
    await put('/admin/queues/api/queues/deliver-batch/pause').expect(403); // no Origin, no Fetch Metadata: not a page of ours
    await put('/admin/queues/api/queues/deliver-batch/pause').set('Sec-Fetch-Site', 'cross-site').expect(403);
    expect((await pausedOf(api, keys.admin))['deliver-batch']).toBe(false);

    // The dashboard's own page, as reached through a proxy that keeps the Host (the scheme may differ behind TLS).
    await put('/admin/queues/api/queues/deliver-batch/pause').set('Host', 'dingrelay.internal:8443').set('Origin', 'https://dingrelay.internal:8443').expect(200);
    expect((await pausedOf(api, keys.admin))['deliver-batch']).toBe(true);
    await put('/admin/queues/api/queues/deliver-batch/resume').set('Sec-Fetch-Site', 'same-origin').expect(200);
    expect((await pausedOf(api, keys.admin))['deliver-batch']).toBe(false);
  });

  describe('with QUEUE_DASHBOARD_READ_ONLY=true', () => {
    const readOnlyPrefix = `${prefix}-ro`;
    let readOnly: INestApplication;
    let admin: string;

    beforeAll(async () => {
      readOnly = await startTestApi({ queuePrefix: readOnlyPrefix, robotCode: 'dashboard-robot', env: { QUEUE_DASHBOARD_READ_ONLY: 'true' } });
      admin = (await createTestApiKey(readOnly, { role: 'admin', name: 'dashboard-ro-admin' })).key;
    });

    afterAll(async () => {
      await readOnly?.close();
      await deleteQueuePrefix(readOnlyPrefix);
    });

    it('shows the queues but refuses every action that changes one, and a global pause leaves them running', async () => {
      const put = (path: string) => request(readOnly.getHttpServer()).put(path).set('Authorization', `Bearer ${admin}`);
      const listed = await request(readOnly.getHttpServer()).get('/admin/queues/api/queues').set('Authorization', `Bearer ${admin}`).expect(200);
      expect((listed.body.queues as { readOnlyMode: boolean }[]).every((q) => q.readOnlyMode)).toBe(true);

      await put('/admin/queues/api/queues/deliver-batch/pause').expect(405);
      await put('/admin/queues/api/queues/deliver-batch/clean/failed').expect(405);
      await put('/admin/queues/api/queues/pause').expect(200);
      expect(await pausedOf(readOnly, admin)).toEqual({ 'deliver-batch': false, 'recipient-retention': false });
    });

    it('refuses a value that is not a boolean, naming the variable', async () => {
      await expect(
        startTestApi({ queuePrefix: `${prefix}-bad`, robotCode: 'dashboard-robot', env: { QUEUE_DASHBOARD_READ_ONLY: 'yes' } }),
      ).rejects.toThrow(/QUEUE_DASHBOARD_READ_ONLY: must be true or false/);
    });
  });
});
