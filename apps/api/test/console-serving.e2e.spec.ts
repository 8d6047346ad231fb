import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { deleteQueuePrefix, uniqueQueuePrefix } from '@dingrelay/testing';
import request from 'supertest';
import { startTestApi } from './support/test-api.js';

/**
 * The API serves the web console's built files at /console: deep links load the app, hashed assets are cached for
 * good, a missing asset is a JSON 404 (not the app's HTML), and without a build /console says how to make one. A
 * small stand-in build in a temporary folder keeps this suite independent of `vite build`; the browser suite
 * (apps/console-e2e) runs the real one.
 */
describe('console served at /console', () => {
  const prefix = uniqueQueuePrefix('api-console');
  const dir = mkdtempSync(join(tmpdir(), 'dingrelay-console-'));
  const indexHtml = '<!doctype html><title>dingrelay</title><script type="module" src="/console/assets/index-abc123.js"></script>';
  let api: INestApplication;
  let unbuilt: INestApplication;

  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), indexHtml);
    // Big enough to be worth compressing (the middleware leaves bodies under 1 kB alone).
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), `console.log(${JSON.stringify('console '.repeat(500))});`);
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    api = await startTestApi({ queuePrefix: prefix, robotCode: 'console-robot', env: { CONSOLE_DIR: dir } });
    unbuilt = await startTestApi({ queuePrefix: prefix, robotCode: 'console-robot', env: { CONSOLE_DIR: join(dir, 'missing') } });
  });

  afterAll(async () => {
    await api?.close();
    await unbuilt?.close();
    await deleteQueuePrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (app: INestApplication, path: string) => request(app.getHttpServer()).get(path);

  it.each(['/console/', '/console/sends', '/console/sends/71e5960c-d7b0-4bad-9e27-df03d993f20e', '/console/sign-in?next=%2Faudit'])(
    '%s answers the app, uncached, without a key, under a policy that loads nothing from elsewhere',
    async (path) => {
      const res = await get(api, path).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toBe(indexHtml);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("script-src 'self';");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-request-id']).toMatch(/\S/);
    },
  );

  it('redirects /console to /console/ so relative asset URLs resolve', async () => {
    const res = await get(api, '/console').expect(301);
    expect(res.headers['location']).toBe('/console/');
  });

  it('serves hashed assets as immutable, other files for an hour', async () => {
    const asset = await get(api, '/console/assets/index-abc123.js').expect(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await get(api, '/console/favicon.svg').expect(200);
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('compresses the files for browsers that accept it', async () => {
    const res = await get(api, '/console/assets/index-abc123.js').set('Accept-Encoding', 'gzip').expect(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.text).toContain('console console');
    const plain = await get(api, '/console/assets/index-abc123.js').set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('answers a missing asset with a JSON 404, not the app', async () => {
    const res = await get(api, '/console/assets/index-old999.js').set('X-Request-Id', 'console-missing-asset').expect(404);
    expect(res.body).toEqual({ status: 404, code: 'NOT_FOUND', message: 'No such console file', details: [], requestId: 'console-missing-asset' });
  });

  it('does not take other methods: a POST under /console is the API\'s 404', async () => {
    const res = await request(api.getHttpServer()).post('/console/sends').send({}).expect(404);
    expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('says how to build the console when its files are missing, and the API still works', async () => {
    const res = await get(unbuilt, '/console/sends').expect(503);
    expect(res.body).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('npm run build') });
    await get(unbuilt, '/health/live').expect(200);
  });

  it('leaves the API\'s own paths alone: /v1 still needs a key', async () => {
    await get(api, '/v1/sends').expect(401);
  });
});
