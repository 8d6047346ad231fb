import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, DatabaseSetupError, exitOnShutdownSignals, explainDatabaseError, HttpConnections, redactText, validateConfig } from '@dingrelay/domain';
import { ApiConfig } from './api.config.js';
import { createApiApp } from './create-api-app.js';

/** Kept for the failure message: a refused or missing database role is explained in terms of these variables. */
let databaseUrls: { DATABASE_URL: string; DATABASE_MIGRATION_URL?: string } | undefined;

async function bootstrap(): Promise<void> {
  const config = validateConfig(ApiConfig, process.env);
  databaseUrls = config;
  const app = await createApiApp(config);
  const connections = new HttpConnections(app.getHttpServer());
  // Stop accepting, let requests in progress finish (keep-alive connections close after their answer), then close.
  exitOnShutdownSignals(app, {
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    delayMs: config.SHUTDOWN_DELAY_MS,
    drain: () => connections.drainReporting(config.SHUTDOWN_TIMEOUT_MS),
  });
  await app.listen(config.API_PORT, config.API_HOST);
  new Logger('Bootstrap').log(`dingrelay api listening on ${await app.getUrl()} (docs at /docs)`);
}

bootstrap().catch((thrown: unknown) => {
  const error = databaseUrls ? explainDatabaseError(thrown, databaseUrls) : thrown;
  // Config problems are listed as they are; anything else is a dependency that could not be reached at start-up.
  const message = error instanceof ConfigError || error instanceof DatabaseSetupError ? error.message : `dingrelay api failed to start: ${(error as Error).message}`;
  // Plain text on stderr: the configuration (LOG_FORMAT included) may be what is wrong. Redacted all the same.
  process.stderr.write(`${redactText(message)}\n`);
  process.exit(1);
});
