import { type DynamicModule, Module } from '@nestjs/common';
import { type ChatConfigurationRef, DEFAULT_CHAT_CONFIGURATION } from '../chat-configurations/chat-configuration.js';
import { CancelSendUseCase } from './cancel-send.usecase.js';
import { CreateSendUseCase } from './create-send.usecase.js';
import { GetSendStatusUseCase } from './get-send-status.usecase.js';
import { ListRecipientsUseCase } from './list-recipients.usecase.js';

export interface SendsModuleOptions {
  defaultChatConfiguration: ChatConfigurationRef;
}

/** Accepting sends and reading their progress: what the API needs. Expects DatabaseModule and QueueModule. */
@Module({})
export class SendsModule {
  static forRoot(options: SendsModuleOptions): DynamicModule {
    return {
      module: SendsModule,
      providers: [
        { provide: DEFAULT_CHAT_CONFIGURATION, useValue: options.defaultChatConfiguration },
        CreateSendUseCase,
        CancelSendUseCase,
        GetSendStatusUseCase,
        ListRecipientsUseCase,
      ],
      exports: [CreateSendUseCase, CancelSendUseCase, GetSendStatusUseCase, ListRecipientsUseCase],
    };
  }
}
