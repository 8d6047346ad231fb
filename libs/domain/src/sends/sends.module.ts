import { type DynamicModule, Module } from '@nestjs/common';
import { type ChatConfigurationRef, DEFAULT_CHAT_CONFIGURATION } from '../chat-configurations/chat-configuration.js';
import { CancelSendUseCase } from './cancel-send.usecase.js';
import { CreateSendUseCase } from './create-send.usecase.js';
import { GetSendStatusUseCase } from './get-send-status.usecase.js';
import { ListRecipientsUseCase } from './list-recipients.usecase.js';
import { DEFAULT_DINGTALK_LIMITS, DINGTALK_LIMITS_SETTINGS, type DingTalkLimits } from '../usage/dingtalk-limits.js';
import { GetUsageUseCase } from '../usage/get-usage.usecase.js';

export interface SendsModuleOptions {
  defaultChatConfiguration: ChatConfigurationRef;
  limits?: Partial<DingTalkLimits>;
}

/** Accepting sends and reading their progress: what the API needs. Expects DatabaseModule and QueueModule. */
@Module({})
export class SendsModule {
  static forRoot(options: SendsModuleOptions): DynamicModule {
    return {
      module: SendsModule,
      providers: [
        { provide: DEFAULT_CHAT_CONFIGURATION, useValue: options.defaultChatConfiguration },
        { provide: DINGTALK_LIMITS_SETTINGS, useValue: { ...DEFAULT_DINGTALK_LIMITS, ...options.limits } },
        GetUsageUseCase,
        CreateSendUseCase,
        CancelSendUseCase,
        GetSendStatusUseCase,
        ListRecipientsUseCase,
      ],
      exports: [
        CreateSendUseCase,
        CancelSendUseCase,
        GetSendStatusUseCase,
        ListRecipientsUseCase,
        GetUsageUseCase,
        DEFAULT_CHAT_CONFIGURATION,
      ],
    };
  }
}
