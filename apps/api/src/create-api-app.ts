import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { createAppLogger, type DefaultChatConfiguration, registerEnvironmentSecrets } from '@dingrelay/domain';
import type { ApiConfig } from './api.config.js';
import { AppModule } from './app.module.js';
import { keylessBodyMiddleware } from './auth/keyless-body.middleware.js';
import { CALLBACK_PATH_PREFIX, callbackBodyParser } from './callbacks/callback-body-parser.js';
import { consoleDir, mountConsole } from './console/mount-console.js';
import { requestIdMiddleware } from './http/request-id.middleware.js';
import { mountQueueDashboard } from './ops/queue-dashboard.js';
import { buildOpenApiDocument, OPENAPI_JSON_PATH } from './openapi/openapi-document.js';

/**
 * Builds the API exactly as production runs it (body limits, docs, logger); main.ts and the e2e tests both
 * start here, so tests exercise the real wiring.
 */
export async function createApiApp(
  config: ApiConfig,
  options: { logger?: false; defaultChatConfiguration?: DefaultChatConfiguration } = {},
): Promise<NestExpressApplication> {
  registerEnvironmentSecrets(config);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, { defaultChatConfiguration: options.defaultChatConfiguration }), {
    bodyParser: false,
    abortOnError: false,
    // Given here rather than with useLogger, so start-up lines are structured and redacted too.
    logger: options.logger === false ? false : createAppLogger(config),
  });
  // First of all, so that every answer (a body the parser refuses included) carries the request id; then bodies
  // without a key are refused unread; only then are bodies parsed.
  app.use(requestIdMiddleware);
  app.use(keylessBodyMiddleware);
  // DingTalk's pushes take no key: their own, much smaller limit, before the API's parser (which then skips them).
  app.use(CALLBACK_PATH_PREFIX, callbackBodyParser(config.CALLBACK_MAX_BODY_BYTES));
  app.useBodyParser('json', { limit: config.API_BODY_LIMIT, strict: false });
  // Only the OOS-compatible endpoint accepts it (the JSON-only middleware refuses it elsewhere).
  app.useBodyParser('urlencoded', { limit: '1mb', extended: false });
  app.disable('x-powered-by');
  // Signals are handled by main.ts (exitOnShutdownSignals: finish requests, then exit 0); app.close() runs the hooks.

  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: OPENAPI_JSON_PATH });
  mountQueueDashboard(app, { readOnly: config.QUEUE_DASHBOARD_READ_ONLY });
  mountConsole(app, { dir: consoleDir(config.CONSOLE_DIR) });
  return app;
}
