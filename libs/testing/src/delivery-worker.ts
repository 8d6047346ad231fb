import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type ChatConfigurationCredentials,
  ChatConfigurationsModule,
  DatabaseModule,
  DeliveryModule,
  type DeliverySettings,
  type DingTalkLimits,
  QueueModule,
  type ReadTrackingSettings,
} from '@dingrelay/domain';
import { testRuntimeUrl } from './test-database.js';
import { testSecretEncryptionKeys } from './test-secrets.js';

export interface TestWorkerOptions {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  dingtalkBaseUrl: string;
  /** Pinned in the worker: they shadow the table. Any other name is read from `chat_configurations`. */
  chatConfigurations?: readonly ChatConfigurationCredentials[];
  settings?: Partial<DeliverySettings>;
  limits?: Partial<DingTalkLimits>;
  dingtalkTimeoutMs?: number;
  /** readStatus polling and recall scanners; off unless a test sets `scanIntervalMs` (they scan the whole database). */
  readTracking?: Partial<ReadTrackingSettings>;
}

@Module({})
class TestWorkerRootModule {}

/**
 * A real worker (Bull processors on real Redis, real Postgres) composed from the domain modules, for tests of other
 * projects that need deliveries to happen; the worker app's own tests boot the app itself.
 */
export async function startTestDeliveryWorker(options: TestWorkerOptions): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(
    {
      module: TestWorkerRootModule,
      imports: [
        DatabaseModule.forRoot({ url: testRuntimeUrl(options.databaseUrl), poolSize: 4, applicationName: 'dingrelay-test-worker', migrate: false }),
        QueueModule.forRoot({ redisUrl: options.redisUrl, prefix: options.queuePrefix }),
        ChatConfigurationsModule.forRoot({ secretEncryptionKeys: testSecretEncryptionKeys(), pinned: options.chatConfigurations }),
        DeliveryModule.forRoot({
          dingtalk: { baseUrl: options.dingtalkBaseUrl, timeoutMs: options.dingtalkTimeoutMs ?? 5_000 },
          limits: options.limits,
          settings: {
            flowControlBaseDelayMs: 50,
            retryBaseDelayMs: 50,
            retryMaxDelayMs: 500,
            // Suites share one database; a periodic pass would take up other suites' open batches. Tests that
            // exercise recovery call BatchReconciler.reconcileOnce themselves.
            reconcileIntervalMs: 24 * 60 * 60 * 1000,
            ...options.settings,
          },
          readTracking: { scanIntervalMs: 24 * 60 * 60 * 1000, ...options.readTracking },
        }),
      ],
    },
    { logger: ['error'], abortOnError: false },
  );
  return app;
}
