import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { WorkerConfig } from './worker.config.js';
import { WorkerModule } from './worker.module.js';

/** An application context, not an HTTP app: the worker serves no requests. main.ts and tests both start here. */
export async function createWorkerApp(config: WorkerConfig, options: { logger?: false } = {}): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    abortOnError: false,
    ...(options.logger === false ? { logger: false } : {}),
  });
  app.enableShutdownHooks();
  return app;
}
