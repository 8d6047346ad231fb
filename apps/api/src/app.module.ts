import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import {
  AuditChainModule,
  ChatConfigurationsModule,
  DatabaseModule,
  type DefaultChatConfiguration,
  HistoryModule,
  InboundModule,
  PluginsModule,
  QueueModule,
  SendsModule,
} from '@dingrelay/domain';
import type { ApiConfig } from './api.config.js';
import { AuditEventsController } from './audit/audit-events.controller.js';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { AuthModule } from './auth/auth.module.js';
import { CallbacksController } from './callbacks/callbacks.controller.js';
import { ChatConfigurationsController } from './chat-configurations/chat-configurations.controller.js';
import { OosController } from './chat-configurations/oos.controller.js';
import { OOS_PATH } from './chat-configurations/oos-parameters.js';
import { PUBLIC_BASE_URL } from './chat-configurations/public-base-url.js';
import { AllowedMethods } from './http/allowed-methods.js';
import { ApiExceptionFilter } from './http/api-exception.filter.js';
import { jsonOnlyMiddleware } from './http/json-only.middleware.js';
import { ApiValidationPipe } from './http/validation.pipe.js';
import { ExportLinksController } from './history/export-links.controller.js';
import { ExportsController } from './history/exports.controller.js';
import { HistoryController } from './history/history.controller.js';
import { InboundMessagesController } from './inbound/inbound-messages.controller.js';
import { ApiOpsModule } from './ops/api-ops.module.js';
import { PluginsController } from './plugins/plugins.controller.js';
import { SendsController } from './sends/sends.controller.js';
import { SendReadRecallController } from './sends/send-read-recall.controller.js';
import { StatsController } from './stats/stats.controller.js';
import { UsageController } from './usage/usage.controller.js';

/** The API process: a producer only — it records and enqueues, and never runs a job. */
@Module({})
export class AppModule implements NestModule {
  /** `defaultChatConfiguration` pins the default in the process (tests); the app itself reads it from the table. */
  static forRoot(config: ApiConfig, options: { defaultChatConfiguration?: DefaultChatConfiguration } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'dingrelay-api',
          migrate: true,
          migrationUrl: config.DATABASE_MIGRATION_URL,
          allowPrivilegedRole: config.DATABASE_ALLOW_PRIVILEGED_ROLE,
          defaultChatConfiguration: config.DEFAULT_CHAT_CONFIGURATION_NAME,
        }),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX }),
        HistoryModule.forRoot({
          maxConcurrentExports: config.EXPORTS_AT_ONCE,
          maxExportsPerKey: config.EXPORTS_PER_KEY,
          idleTimeoutMs: config.EXPORT_IDLE_TIMEOUT_MS,
          linkTtlMs: config.EXPORT_LINK_TTL_MS,
        }),
        ChatConfigurationsModule.forRoot({
          secretEncryptionKeys: config.SECRET_ENCRYPTION_KEYS,
          firstStart: config.firstStartChatConfiguration(),
        }),
        SendsModule.forRoot({
          defaultChatConfiguration: options.defaultChatConfiguration ?? { name: config.DEFAULT_CHAT_CONFIGURATION_NAME },
          limits: config.dingTalkLimits(),
        }),
        PluginsModule.forRoot({
          dingtalk: { baseUrl: config.DINGTALK_BASE_URL, timeoutMs: config.DINGTALK_TIMEOUT_MS },
          limits: config.dingTalkLimits(),
        }),
        InboundModule.forRoot({ callbackMaxSkewMs: config.CALLBACK_MAX_SKEW_MS, callbackMaxTextLength: config.CALLBACK_MAX_TEXT_LENGTH }),
        AuthModule.forRoot({
          bootstrapAdminKey: config.BOOTSTRAP_ADMIN_API_KEY,
          rateLimit: { perSecond: config.API_KEY_RATE_LIMIT_PER_SECOND, burst: config.API_KEY_RATE_LIMIT_BURST },
          defaultChatConfiguration: options.defaultChatConfiguration?.name ?? config.DEFAULT_CHAT_CONFIGURATION_NAME,
        }),
        AuditChainModule.forRoot({ digestKey: config.AUDIT_DIGEST_KEY }),
        ApiOpsModule.forRoot(config),
      ],
      controllers: [ChatConfigurationsController, OosController, SendsController, UsageController, HistoryController, StatsController, ExportsController, ExportLinksController, AuditEventsController, SendReadRecallController, PluginsController, CallbacksController, InboundMessagesController],
      providers: [
        { provide: PUBLIC_BASE_URL, useValue: config.publicBaseUrl() },
        AllowedMethods,
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_PIPE, useClass: ApiValidationPipe },
        // Every route, deny by default (see auth/access-policy.ts).
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // The OOS-compatible endpoint takes OOS's form-encoded parameters, deliberately; everything else is JSON only.
    consumer.apply(jsonOnlyMiddleware).exclude({ path: OOS_PATH, method: RequestMethod.POST }).forRoutes('*path');
  }
}
