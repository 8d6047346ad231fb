import type { INestApplication } from '@nestjs/common';
import type { ApiKeyRole } from '@dingrelay/contracts';
import { CreateApiKeyUseCase, DEFAULT_CHAT_CONFIGURATION_NAME, systemActor, validateConfig } from '@dingrelay/domain';
import { prepareTestDatabase, testRedisUrl, testRuntimeUrl, testSecretEncryptionKeys } from '@dingrelay/testing';
import request from 'supertest';
import { ApiConfig } from '../../src/api.config.js';
import { createApiApp } from '../../src/create-api-app.js';

/** The admin key each test app authenticates with by default. */
const adminKeys = new WeakMap<INestApplication, string>();

/** The API as production wires it, on the test database and the suite's own Bull prefix, ready for supertest. */
export async function startTestApi(options: {
  queuePrefix: string;
  robotCode: string;
  env?: Record<string, string>;
}): Promise<INestApplication> {
  const env = { DATABASE_URL: await prepareTestDatabase(), ...options.env };
  const config = validateConfig(ApiConfig, {
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: options.queuePrefix,
    SECRET_ENCRYPTION_KEYS: testSecretEncryptionKeys(),
    // Suites send bursts with one test key; the per-key limit has its own test (access-control), which sets it.
    API_KEY_RATE_LIMIT_PER_SECOND: '10000',
    API_KEY_RATE_LIMIT_BURST: '10000',
    ...env,
    // The runtime role's, as in production, also when a suite names the owner's URL of a database it prepared.
    DATABASE_URL: testRuntimeUrl(env.DATABASE_URL),
  });
  // The default configuration is pinned to the suite's robot: suites share one database, and a `default` row there
  // belongs to whichever suite created it. Named configurations are read from the table as in production.
  const app = await createApiApp(config, {
    logger: false,
    defaultChatConfiguration: { name: DEFAULT_CHAT_CONFIGURATION_NAME, robotCode: options.robotCode },
  });
  await app.init();
  await provisionTestAdminKey(app);
  return app;
}

/** Issues a key through the app's own use-case (as `POST /v1/api-keys` would) and returns the key itself. */
export async function createTestApiKey(
  app: INestApplication,
  options: { role: ApiKeyRole; name?: string; chatConfigurations?: string[]; expiresAt?: Date },
): Promise<{ id: string; key: string }> {
  const created = await app.get(CreateApiKeyUseCase).execute({
    name: options.name ?? `test-${options.role}`,
    role: options.role,
    chatConfigurations: options.chatConfigurations ?? null,
    expiresAt: options.expiresAt ?? null,
    defaultChatConfiguration: DEFAULT_CHAT_CONFIGURATION_NAME,
    actor: systemActor('test'),
  });
  return { id: created.apiKey.id, key: created.key };
}

/** For apps a suite builds itself (not through startTestApi): gives `apiRequest(app)` its admin key. */
export async function provisionTestAdminKey(app: INestApplication): Promise<string> {
  const { key } = await createTestApiKey(app, { role: 'admin', name: 'test-admin' });
  adminKeys.set(app, key);
  return key;
}

/**
 * Every API test talks to the app through this: as the app's test admin key, or as `key` when given (`null`: no
 * key at all), so access control lives in one helper rather than every suite.
 */
export function apiRequest(app: INestApplication, key?: string | null): ReturnType<typeof request.agent> {
  const agent = request.agent(app.getHttpServer());
  const bearer = key === undefined ? adminKeys.get(app) : key;
  if (key === undefined && bearer === undefined) {
    throw new Error('apiRequest: this app has no test admin key; start it with startTestApi or call provisionTestAdminKey');
  }
  if (bearer) agent.set('Authorization', `Bearer ${bearer}`);
  return agent;
}

/**
 * Makes sure a chat configuration of this name exists (created through the API, as an admin would; left as it is if
 * it exists already: suites share one database and may run again), so a sender key can be scoped to it. Its app and
 * robot are placeholders: for suites that write sends as fixtures or only need the name.
 */
export async function ensureTestChatConfiguration(app: INestApplication, name: string): Promise<void> {
  const res = await apiRequest(app)
    .post('/v1/chat-configurations')
    .send({ name, type: 'DingTalk', configuration: { clientId: `${name}-app`, clientSecret: 'test-secret', robotCode: `${name}-robot` } });
  if (res.status !== 201 && res.status !== 409) {
    throw new Error(`could not create chat configuration ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}
