import type { INestApplication } from '@nestjs/common';
import { validateConfig } from '@dingrelay/domain';
import { prepareTestDatabase, testRedisUrl } from '@dingrelay/testing';
import request from 'supertest';
import { ApiConfig } from '../../src/api.config.js';
import { createApiApp } from '../../src/create-api-app.js';

/** The API as production wires it, on the test database and the suite's own Bull prefix, ready for supertest. */
export async function startTestApi(options: {
  queuePrefix: string;
  robotCode: string;
  env?: Record<string, string>;
}): Promise<INestApplication> {
  const config = validateConfig(ApiConfig, {
    DATABASE_URL: await prepareTestDatabase(),
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: options.queuePrefix,
    DINGTALK_ROBOT_CODE: options.robotCode,
    ...options.env,
  });
  const app = await createApiApp(config, { logger: false });
  await app.init();
  return app;
}

/**
 * Every API test talks to the app through this: one place decides how a test request authenticates, so access
 * control changes one helper rather than every suite.
 */
export function apiRequest(app: INestApplication): ReturnType<typeof request.agent> {
  return request.agent(app.getHttpServer());
}
