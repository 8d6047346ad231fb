import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DingTalkClient, type DingTalkClientOptions } from '@dingrelay/dingtalk-client';
import {
  CHAT_CONFIGURATION_CREDENTIALS,
  type ChatConfigurationCredentials,
  StaticChatConfigurations,
} from '../chat-configurations/chat-configuration.js';
import type { Redis } from 'ioredis';
import { AppPacer } from '../pacing/app-pacer.js';
import { QUEUE_SETTINGS, type QueueSettings } from '../queue/queue.module.js';
import { REDIS_CONNECTION } from '../queue/redis-connection.js';
import { RedisAccessTokenStore } from '../tokens/redis-access-token.store.js';
import { DEFAULT_DINGTALK_LIMITS, DINGTALK_LIMITS_SETTINGS, type DingTalkLimits } from '../usage/dingtalk-limits.js';
import { BatchReconciler } from './batch-reconciler.js';
import { DeliverBatchProcessor } from './deliver-batch.processor.js';
import { DeliverBatchUseCase } from './deliver-batch.usecase.js';
import { DEFAULT_DELIVERY_SETTINGS, type DeliverySettings } from './delivery.settings.js';
import { DELIVERY_SETTINGS } from './delivery.tokens.js';

export interface DeliveryModuleOptions {
  dingtalk: DingTalkClientOptions;
  chatConfigurations: readonly ChatConfigurationCredentials[];
  settings?: Partial<DeliverySettings>;
  limits?: Partial<DingTalkLimits>;
}

@Injectable()
class DingTalkClientLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DingTalkClient) private readonly client: DingTalkClient) {}

  onApplicationShutdown(): void {
    this.client.close();
  }
}

/** Everything a worker process runs: the deliver-batch processor, its use-case and the reconciler. */
@Module({})
export class DeliveryModule {
  static forRoot(options: DeliveryModuleOptions): DynamicModule {
    const settings: DeliverySettings = { ...DEFAULT_DELIVERY_SETTINGS, ...options.settings };
    return {
      module: DeliveryModule,
      providers: [
        {
          provide: DingTalkClient,
          inject: [REDIS_CONNECTION, QUEUE_SETTINGS],
          // One cached token per app for every worker process, refreshed by one of them at a time.
          useFactory: (redis: Redis, queue: QueueSettings) =>
            new DingTalkClient({
              ...options.dingtalk,
              tokenStore: new RedisAccessTokenStore(redis, { keyPrefix: queue.prefix }),
            }),
        },
        DingTalkClientLifecycle,
        { provide: CHAT_CONFIGURATION_CREDENTIALS, useValue: new StaticChatConfigurations(options.chatConfigurations) },
        { provide: DELIVERY_SETTINGS, useValue: settings },
        { provide: DINGTALK_LIMITS_SETTINGS, useValue: { ...DEFAULT_DINGTALK_LIMITS, ...options.limits } },
        {
          provide: AppPacer,
          inject: [REDIS_CONNECTION, QUEUE_SETTINGS],
          useFactory: (redis: Redis, queue: QueueSettings) =>
            new AppPacer(redis, { keyPrefix: queue.prefix, inlineWaitMs: settings.paceInlineWaitMs, holdGraceMs: 60_000 }),
        },
        DeliverBatchUseCase,
        DeliverBatchProcessor,
        BatchReconciler,
      ],
      exports: [DeliverBatchUseCase, BatchReconciler, DingTalkClient, AppPacer],
    };
  }
}
