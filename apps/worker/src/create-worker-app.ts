import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createAppLogger, registerEnvironmentSecrets } from '@dingrelay/domain';
import type { WorkerConfig } from './worker.config.js';
import { WorkerModule } from './worker.module.js';

/**
 * The worker as an HTTP app: it serves no public API, only its ops endpoints on WORKER_HTTP_PORT (main.ts listens).
 * Initialised here, so the processors run whether or not a caller listens; main.ts and tests both start here.
 */
export async function createWorkerApp(config: WorkerConfig, options: { logger?: false } = {}): Promise<NestExpressApplication> {
  registerEnvironmentSecrets(config);
  const app = await NestFactory.create<NestExpressApplication>(WorkerModule.forRoot(config), {
    abortOnError: false,
    // Nothing posted to the ops port has a body.
    bodyParser: false,
    // Given here rather than with useLogger, so start-up lines are structured and redacted too.
    logger: options.logger === false ? false : createAppLogger(config),
  });
  app.disable('x-powered-by');
  // Signals are handled by main.ts (exitOnShutdownSignals: drain, then exit 0); app.close() runs the same hooks.
  await app.init();
  return app;
}
