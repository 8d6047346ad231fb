import type { INestApplication } from '@nestjs/common';
import { validateConfig } from '@dingrelay/domain';
import { prepareTestDatabase, testRedisUrl } from '@dingrelay/testing';
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
