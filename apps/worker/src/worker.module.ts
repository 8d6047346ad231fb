import { type DynamicModule, Module } from '@nestjs/common';
import { AuditChainModule, ChatConfigurationsModule, DatabaseModule, DeliveryModule, QueueModule, RetentionModule } from '@dingrelay/domain';
import { WorkerOpsModule } from './ops/worker-ops.module.js';
import type { WorkerConfig } from './worker.config.js';

/** The worker process: Bull processors and the reconciler; on its ops port only health and metrics. */
@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'dingrelay-worker',
          migrate: true,
          migrationUrl: config.DATABASE_MIGRATION_URL,
          allowPrivilegedRole: config.DATABASE_ALLOW_PRIVILEGED_ROLE,
          defaultChatConfiguration: config.DEFAULT_CHAT_CONFIGURATION_NAME,
        }),
        QueueModule.forRoot({
          redisUrl: config.REDIS_URL,
          prefix: config.QUEUE_PREFIX,
          stalledJobTimeoutMs: config.STALLED_JOB_TIMEOUT_MS,
        }),
        ChatConfigurationsModule.forRoot({
          secretEncryptionKeys: config.SECRET_ENCRYPTION_KEYS,
          firstStart: config.firstStartChatConfiguration(),
        }),
        RetentionModule.forRoot({
          recipientRetentionDays: config.RECIPIENT_RETENTION_DAYS,
          intervalMs: config.RETENTION_INTERVAL_MS,
        }),
        DeliveryModule.forRoot({
          dingtalk: { baseUrl: config.DINGTALK_BASE_URL, timeoutMs: config.DINGTALK_TIMEOUT_MS },
          limits: config.dingTalkLimits(),
          settings: {
            concurrency: config.WORKER_CONCURRENCY,
            maxAttempts: config.DELIVERY_MAX_ATTEMPTS,
            flowControlMaxAttempts: config.FLOW_CONTROL_MAX_ATTEMPTS,
            flowControlBaseDelayMs: config.FLOW_CONTROL_BASE_DELAY_MS,
            retryBaseDelayMs: config.RETRY_BASE_DELAY_MS,
            reconcileIntervalMs: config.RECONCILE_INTERVAL_MS,
            reconcileAfterMs: config.RECONCILE_AFTER_MS,
            shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
          },
          readTracking: config.readTracking(),
        }),
        AuditChainModule.forRoot({
          digestKey: config.AUDIT_DIGEST_KEY,
          publish: { intervalMs: config.AUDIT_DIGEST_INTERVAL_MS, file: config.AUDIT_DIGEST_FILE, url: config.AUDIT_DIGEST_URL },
        }),
        WorkerOpsModule.forRoot(config),
      ],
    };
  }
}
