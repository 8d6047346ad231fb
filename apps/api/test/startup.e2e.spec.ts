import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { ConfigError, DatabaseModule, DatabaseSetupError, explainDatabaseError, urlWithRole, validateConfig } from '@dingrelay/domain';
import { deleteQueuePrefix, prepareTestDatabase, testOwnerUrl, testSecretEncryptionKeys, uniqueQueuePrefix } from '@dingrelay/testing';
import { apiRequest, startTestApi } from './support/test-api.js';
import { DataSource } from 'typeorm';
import { ApiConfig } from '../src/api.config.js';
import { createApiApp } from '../src/create-api-app.js';

describe('API start-up', () => {
  it('refuses to start without its required variables, naming each one and no values', () => {
    let error: unknown;
    try {
      validateConfig(ApiConfig, { DATABASE_URL: 'mysql://root:hunter2@db/x', API_PORT: '70000' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/SECRET_ENCRYPTION_KEYS: must be set/);
    expect(message).toMatch(/DATABASE_URL: must be a postgres:\/\/ connection URL/);
    expect(message).toMatch(/API_PORT: /);
    expect(message).not.toContain('hunter2');
  });

  it('applies defaults for everything optional', () => {
    const config = validateConfig(ApiConfig, { SECRET_ENCRYPTION_KEYS: testSecretEncryptionKeys() });
    expect(config).toMatchObject({ API_PORT: 3000, API_HOST: '127.0.0.1', QUEUE_PREFIX: 'dingrelay', API_BODY_LIMIT: '8mb' });
  });

  it('fails with a clear message when Postgres is unreachable, without echoing credentials', async () => {
    // The database module alone: a half-built app would leave its Redis clients retrying after the failure.
    const failure = await NestFactory.createApplicationContext(
      DatabaseModule.forRoot({ url: 'postgres://app:hunter2@127.0.0.1:1/dingrelay', migrate: true }),
      { logger: false, abortOnError: false },
    ).then(
      async (ctx) => {
        await ctx.close();
        return new Error('started');
      },
      (e: Error) => e,
    );
    expect(failure.message).toMatch(/ECONNREFUSED/);
    expect(failure.message).not.toContain('hunter2');
  });

  it('explains a missing runtime role, and refuses the owner as DATABASE_URL, each naming the fix', async () => {
    const ownerUrl = testOwnerUrl(await prepareTestDatabase());
    const start = (options: Parameters<typeof DatabaseModule.forRoot>[0]) =>
      NestFactory.createApplicationContext(DatabaseModule.forRoot(options), { logger: false, abortOnError: false }).then(
        async (ctx) => {
          await ctx.close();
          return new Error('started');
        },
        (e: unknown) => e,
      );

    const missingUrl = urlWithRole(ownerUrl, `no_such_role_${randomBytes(4).toString('hex')}`);
    const missing = explainDatabaseError(await start({ url: missingUrl, migrate: true }), { DATABASE_URL: missingUrl });
    expect(missing).toBeInstanceOf(DatabaseSetupError);
    expect((missing as Error).message).toMatch(/the runtime role "no_such_role_\w+" named by DATABASE_URL does not exist.*CREATE ROLE/);

    const owner = await start({ url: ownerUrl, migrate: true });
    expect(owner).toBeInstanceOf(DatabaseSetupError);
    expect((owner as Error).message).toMatch(/connects as "postgres", which is a superuser.*DATABASE_MIGRATION_URL/);
  });

  it('fails with a clear message when Redis is unreachable', async () => {
    const config = validateConfig(ApiConfig, {
      DATABASE_URL: await prepareTestDatabase(),
      REDIS_URL: 'redis://127.0.0.1:1',
      QUEUE_PREFIX: uniqueQueuePrefix('api-no-redis'),
      SECRET_ENCRYPTION_KEYS: testSecretEncryptionKeys(),
    });
    const app = await createApiApp(config, { logger: false });
    const failure = await app.init().then(
      () => new Error('started'),
      (e: Error) => e,
    );
    await app.close();
    expect(failure.message).toBe(`Cannot reach Redis at redis://127.0.0.1:1: no answer within 5000 ms`);
  }, 20_000);
});

describe('OpenAPI document', () => {
  let api: INestApplication;
  const prefix = uniqueQueuePrefix('api-docs');

  beforeAll(async () => {
    api = await startTestApi({ queuePrefix: prefix, robotCode: 'robot' });
  });

  afterAll(async () => {
    await api?.close();
    await deleteQueuePrefix(prefix);
  });

  it('serves the UI at /docs and describes POST /v1/sends from the msgKey catalog', async () => {
    await apiRequest(api).get('/docs').expect(200).expect('Content-Type', /html/);
    const doc = (await apiRequest(api).get('/docs/openapi.json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/sends', '/v1/sends/{id}', '/v1/sends/{id}/recipients']),
    );
    // Bodies and enums are named components, referenced from the operation.
    const schemas = doc.components.schemas;
    const named = (ref: { $ref: string }) => schemas[ref.$ref.replace('#/components/schemas/', '')];
    const body = named(doc.paths['/v1/sends'].post.requestBody.content['application/json'].schema);
    expect(body.required).toEqual(['userIds', 'msgKey', 'msgParam']);
    expect(named(body.properties.msgKey).enum).toHaveLength(13);
    expect(body.properties.userIds.maxItems).toBe(100_000);
    const card6 = body.properties.msgParam.oneOf.map(named).find((s: { title: string }) => s.title === 'sampleActionCard6');
    expect(card6.required).toEqual(['title', 'text', 'buttonTitle1', 'buttonUrl1', 'buttonTitle2', 'buttonUrl2']);
    expect(Object.keys(doc.paths['/v1/sends'].post.responses)).toEqual(expect.arrayContaining(['202', '400', '413']));
  });
});

describe('API under database pressure', () => {
  // A pool of one also proves start-up migrations run on the connection that holds the migration lock.
  it('answers 503 with Retry-After, not 500, when no database connection frees up in time', async () => {
    const prefix = uniqueQueuePrefix('api-pool');
    const app = await startTestApi({ queuePrefix: prefix, robotCode: 'robot', env: { DATABASE_POOL_SIZE: '1' } });
    // Hold the pool's only connection, as a burst of concurrent requests would.
    const holder = app.get(DataSource).createQueryRunner();
    await holder.connect();
    try {
      const res = await apiRequest(app).get('/v1/usage').expect(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', requestId: expect.any(String) });
    } finally {
      await holder.release();
      await apiRequest(app).get('/v1/usage').expect(200);
      await app.close();
      await deleteQueuePrefix(prefix);
    }
  }, 20_000);
});
