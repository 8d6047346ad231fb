import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { DefaultChatConfiguration } from '@dingrelay/domain';
import type { ApiConfig } from './api.config.js';
import { AppModule } from './app.module.js';

/**
 * Builds the API exactly as production runs it (body limits, docs, shutdown hooks); main.ts and the e2e tests both
 * start here, so tests exercise the real wiring.
 */
export async function createApiApp(
  config: ApiConfig,
  options: { logger?: false; defaultChatConfiguration?: DefaultChatConfiguration } = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, { defaultChatConfiguration: options.defaultChatConfiguration }), {
    bodyParser: false,
    abortOnError: false,
    ...(options.logger === false ? { logger: false } : {}),
  });
  app.useBodyParser('json', { limit: config.API_BODY_LIMIT, strict: false });
  // Only the OOS-compatible endpoint accepts it (the JSON-only middleware refuses it elsewhere).
  app.useBodyParser('urlencoded', { limit: '1mb', extended: false });
  app.disable('x-powered-by');
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('dingrelay')
      .setDescription('Gateway for DingTalk enterprise robot one-to-one messages: paced, retried, recorded.')
      .setVersion('0.1.0')
      // Routes declaring @Access() reference it (see auth/access.decorator.ts).
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key: drk_<prefix>_<secret>' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
