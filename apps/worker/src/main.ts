import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, DatabaseSetupError, exitOnShutdownSignals, explainDatabaseError, HttpConnections, redactText, validateConfig, WorkerDrain } from '@dingrelay/domain';
import { createWorkerApp } from './create-worker-app.js';
import { WorkerConfig } from './worker.config.js';

/** Kept for the failure message: a refused or missing database role is explained in terms of these variables. */
let databaseUrls: { DATABASE_URL: string; DATABASE_MIGRATION_URL?: string } | undefined;

async function bootstrap(): Promise<void> {
  const config = validateConfig(WorkerConfig, process.env);
  databaseUrls = config;
  const app = await createWorkerApp(config);
  const ops = new HttpConnections(app.getHttpServer());
  // The ops port stays up while jobs drain (readiness answers 503 meanwhile), then closes with the app.
  exitOnShutdownSignals(app, {
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    drain: async () => {
      const { drained } = await app.get(WorkerDrain).drain();
      await ops.drain(1_000);
      return drained;
    },
  });
  await app.listen(config.WORKER_HTTP_PORT, config.WORKER_HTTP_HOST);
  new Logger('Bootstrap').log(
    `dingrelay worker ready (concurrency ${config.WORKER_CONCURRENCY}, DingTalk at ${config.DINGTALK_BASE_URL}, ` +
      `ops at ${await app.getUrl()})`,
  );
}

bootstrap().catch((thrown: unknown) => {
  const error = databaseUrls ? explainDatabaseError(thrown, databaseUrls) : thrown;
  const message = error instanceof ConfigError || error instanceof DatabaseSetupError ? error.message : `dingrelay worker failed to start: ${(error as Error).message}`;
  // Plain text on stderr: the configuration (LOG_FORMAT included) may be what is wrong. Redacted all the same.
  process.stderr.write(`${redactText(message)}\n`);
  process.exit(1);
});
