import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, validateConfig } from '@dingrelay/domain';
import { createWorkerApp } from './create-worker-app.js';
import { WorkerConfig } from './worker.config.js';

async function bootstrap(): Promise<void> {
  const config = validateConfig(WorkerConfig, process.env);
  await createWorkerApp(config);
  new Logger('Bootstrap').log(
    `dingrelay worker ready (concurrency ${config.WORKER_CONCURRENCY}, DingTalk at ${config.DINGTALK_BASE_URL})`,
  );
}

bootstrap().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : `dingrelay worker failed to start: ${(error as Error).message}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
