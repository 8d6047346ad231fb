import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import { validateConfig } from '@dingrelay/domain';
import { ApiConfig } from '../api.config.js';
import { AppModule } from '../app.module.js';
import { buildOpenApiDocument } from './openapi-document.js';

/**
 * Stand-ins for the variables the API requires. In preview mode Nest builds the module graph without instantiating a
 * provider, so nothing connects to them or encrypts with the key (an all-zero one, made here, never a real secret).
 * Fixed values rather than the caller's environment: the document must not depend on who generates it.
 */
export function offlineApiEnvironment(): Record<string, string> {
  return {
    DATABASE_URL: 'postgres://openapi@127.0.0.1:1/openapi',
    REDIS_URL: 'redis://127.0.0.1:1',
    SECRET_ENCRYPTION_KEYS: `openapi:${Buffer.alloc(32).toString('base64')}`,
  };
}

/**
 * The same document the API serves, without Postgres or Redis: for `npm run openapi` at build time, where neither
 * may be running. `env` replaces the stand-ins (the test points them at a listener to prove nothing connects).
 */
export async function buildOpenApiDocumentOffline(env: Record<string, string> = offlineApiEnvironment()): Promise<OpenAPIObject> {
  const config = validateConfig(ApiConfig, env);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
