import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, exitOnShutdownSignals, HttpConnections, redactText, validateConfig } from '@dingrelay/domain';
import { ApiConfig } from './api.config.js';
import { createApiApp } from './create-api-app.js';

async function bootstrap(): Promise<void> {
  const config = validateConfig(ApiConfig, process.env);
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

bootstrap().catch((error: unknown) => {
  // Config problems are listed as they are; anything else is a dependency that could not be reached at start-up.
  const message = error instanceof ConfigError ? error.message : `dingrelay api failed to start: ${(error as Error).message}`;
  // Plain text on stderr: the configuration (LOG_FORMAT included) may be what is wrong. Redacted all the same.
  process.stderr.write(`${redactText(message)}\n`);
  process.exit(1);
});
