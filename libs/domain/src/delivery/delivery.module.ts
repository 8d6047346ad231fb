import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DingTalkClient, type DingTalkClientOptions } from '@dingrelay/dingtalk-client';
import {
  CHAT_CONFIGURATION_CREDENTIALS,
  type ChatConfigurationCredentials,
  StaticChatConfigurations,
} from '../chat-configurations/chat-configuration.js';
import { BatchReconciler } from './batch-reconciler.js';
import { DeliverBatchProcessor } from './deliver-batch.processor.js';
import { DeliverBatchUseCase } from './deliver-batch.usecase.js';
import { DEFAULT_DELIVERY_SETTINGS, type DeliverySettings } from './delivery.settings.js';
import { DELIVERY_SETTINGS } from './delivery.tokens.js';

export interface DeliveryModuleOptions {
  dingtalk: DingTalkClientOptions;
  chatConfigurations: readonly ChatConfigurationCredentials[];
  settings?: Partial<DeliverySettings>;
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
    return {
      module: DeliveryModule,
      providers: [
        { provide: DingTalkClient, useFactory: () => new DingTalkClient(options.dingtalk) },
        DingTalkClientLifecycle,
        { provide: CHAT_CONFIGURATION_CREDENTIALS, useValue: new StaticChatConfigurations(options.chatConfigurations) },
        { provide: DELIVERY_SETTINGS, useValue: { ...DEFAULT_DELIVERY_SETTINGS, ...options.settings } },
        DeliverBatchUseCase,
        DeliverBatchProcessor,
        BatchReconciler,
      ],
      exports: [DeliverBatchUseCase, BatchReconciler, DingTalkClient],
    };
  }
}
