import { type DynamicModule, Module } from '@nestjs/common';
import { DEFAULT_CALLBACK_MAX_SKEW_MS } from '@dingrelay/dingtalk-client';
import { INBOUND_SETTINGS, type InboundSettings } from './inbound.settings.js';
import { ListInboundMessagesUseCase } from './list-inbound-messages.usecase.js';
import { ReceiveEventUseCase } from './receive-event.usecase.js';
import { ReceiveInboundMessageUseCase } from './receive-inbound-message.usecase.js';

/**
 * DingTalk's pushes to the API (robot messages, legacy encrypted events) and their listing for auditors.
 * Configurations come from the CHAT_CONFIGURATION_CREDENTIALS provider the process registers globally.
 */
@Module({})
export class InboundModule {
  static forRoot(settings: Partial<InboundSettings> = {}): DynamicModule {
    return {
      module: InboundModule,
      providers: [
        { provide: INBOUND_SETTINGS, useValue: { callbackMaxSkewMs: DEFAULT_CALLBACK_MAX_SKEW_MS, ...settings } },
        ReceiveInboundMessageUseCase,
        ReceiveEventUseCase,
        ListInboundMessagesUseCase,
      ],
      exports: [ReceiveInboundMessageUseCase, ReceiveEventUseCase, ListInboundMessagesUseCase],
    };
  }
}
