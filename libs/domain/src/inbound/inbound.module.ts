import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { QUEUE_SETTINGS, type QueueSettings } from '../queue/queue.module.js';
import { CALLBACK_REPLAY_REDIS, CallbackReplayGuard, createReplayCacheConnection } from './callback-replay-guard.js';
import { DEFAULT_INBOUND_SETTINGS, INBOUND_SETTINGS, type InboundSettings } from './inbound.settings.js';
import { ListInboundMessagesUseCase } from './list-inbound-messages.usecase.js';
import { ReceiveEventUseCase } from './receive-event.usecase.js';
import { ReceiveInboundMessageUseCase } from './receive-inbound-message.usecase.js';

@Injectable()
class ReplayCacheConnectionLifecycle implements OnApplicationShutdown {
  constructor(@Inject(CALLBACK_REPLAY_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * DingTalk's pushes to the API (robot messages, legacy encrypted events) and their listing for auditors.
 * Configurations come from the CHAT_CONFIGURATION_CREDENTIALS provider the process registers globally; the replay
 * cache uses the Redis of QueueModule's settings, on a connection of its own.
 */
@Module({})
export class InboundModule {
  static forRoot(settings: Partial<InboundSettings> = {}): DynamicModule {
    return {
      module: InboundModule,
      providers: [
        { provide: INBOUND_SETTINGS, useValue: { ...DEFAULT_INBOUND_SETTINGS, ...settings } },
        { provide: CALLBACK_REPLAY_REDIS, inject: [QUEUE_SETTINGS], useFactory: (queue: QueueSettings) => createReplayCacheConnection(queue.redisUrl) },
        ReplayCacheConnectionLifecycle,
        CallbackReplayGuard,
        ReceiveInboundMessageUseCase,
        ReceiveEventUseCase,
        ListInboundMessagesUseCase,
      ],
      exports: [ReceiveInboundMessageUseCase, ReceiveEventUseCase, ListInboundMessagesUseCase],
    };
  }
}
