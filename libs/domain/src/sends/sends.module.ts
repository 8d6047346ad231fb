import { type DynamicModule, Module } from '@nestjs/common';
import { DEFAULT_CHAT_CONFIGURATION, type DefaultChatConfiguration } from '../chat-configurations/chat-configuration.js';
import { RefreshReadStatusUseCase } from '../read-status/refresh-read-status.usecase.js';
import { RequestRecallUseCase } from '../recall/request-recall.usecase.js';
import { CancelSendUseCase } from './cancel-send.usecase.js';
import { CreateSendUseCase } from './create-send.usecase.js';
import { GetSendStatusUseCase } from './get-send-status.usecase.js';
import { ListRecipientsUseCase } from './list-recipients.usecase.js';
import { DEFAULT_DINGTALK_LIMITS, DINGTALK_LIMITS_SETTINGS, type DingTalkLimits } from '../usage/dingtalk-limits.js';
import { GetUsageUseCase } from '../usage/get-usage.usecase.js';

export interface SendsModuleOptions {
  /** Sends naming no configuration use this one; pinned (taken without a lookup) when it carries its robotCode. */
  defaultChatConfiguration: DefaultChatConfiguration;
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
        RequestRecallUseCase,
        RefreshReadStatusUseCase,
        GetSendStatusUseCase,
        ListRecipientsUseCase,
      ],
      exports: [
        CreateSendUseCase,
        CancelSendUseCase,
        RequestRecallUseCase,
        RefreshReadStatusUseCase,
        GetSendStatusUseCase,
        ListRecipientsUseCase,
        GetUsageUseCase,
        DEFAULT_CHAT_CONFIGURATION,
      ],
    };
  }
}
