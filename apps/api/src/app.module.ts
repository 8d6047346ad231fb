import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { DatabaseModule, DEFAULT_CHAT_CONFIGURATION_NAME, QueueModule, SendsModule } from '@dingrelay/domain';
import type { ApiConfig } from './api.config.js';
import { ApiExceptionFilter } from './http/api-exception.filter.js';
import { jsonOnlyMiddleware } from './http/json-only.middleware.js';
import { requestIdMiddleware } from './http/request-id.middleware.js';
import { ApiValidationPipe } from './http/validation.pipe.js';
import { SendsController } from './sends/sends.controller.js';
import { UsageController } from './usage/usage.controller.js';

/** The API process: a producer only — it records and enqueues, and never runs a job. */
@Module({})
export class AppModule implements NestModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'dingrelay-api',
          migrate: true,
        }),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX }),
        SendsModule.forRoot({
          defaultChatConfiguration: { name: DEFAULT_CHAT_CONFIGURATION_NAME, robotCode: config.DINGTALK_ROBOT_CODE },
          limits: config.dingTalkLimits(),
        }),
      ],
      controllers: [SendsController, UsageController],
      providers: [
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_PIPE, useClass: ApiValidationPipe },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestIdMiddleware, jsonOnlyMiddleware).forRoutes('*path');
  }
}
