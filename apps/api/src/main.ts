import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, validateConfig } from '@dingrelay/domain';
import { ApiConfig } from './api.config.js';
import { createApiApp } from './create-api-app.js';

async function bootstrap(): Promise<void> {
  const config = validateConfig(ApiConfig, process.env);
  const app = await createApiApp(config);
  await app.listen(config.API_PORT, config.API_HOST);
  new Logger('Bootstrap').log(`dingrelay api listening on ${await app.getUrl()} (docs at /docs)`);
}

bootstrap().catch((error: unknown) => {
  // Config problems are listed as they are; anything else is a dependency that could not be reached at start-up.
  const message = error instanceof ConfigError ? error.message : `dingrelay api failed to start: ${(error as Error).message}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
