import { type DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { SECRET_CIPHER, SecretCipher } from '../secrets/secret-cipher.js';
import { CHAT_CONFIGURATION_CREDENTIALS, type ChatConfigurationCredentials } from './chat-configuration.js';
import { ChatConfigurationDirectory } from './chat-configuration-directory.js';
import { CreateChatConfigurationUseCase } from './create-chat-configuration.usecase.js';
import { DeleteChatConfigurationUseCase } from './delete-chat-configuration.usecase.js';
import {
  FIRST_START_CHAT_CONFIGURATION,
  type FirstStartChatConfiguration,
  FirstStartChatConfigurationCreator,
} from './first-start-chat-configuration.js';
import { GetChatConfigurationUseCase } from './get-chat-configuration.usecase.js';
import { ListChatConfigurationsUseCase } from './list-chat-configurations.usecase.js';
import { ReencryptSecretsUseCase } from './reencrypt-secrets.usecase.js';
import { UpdateChatConfigurationUseCase } from './update-chat-configuration.usecase.js';

export interface ChatConfigurationsModuleOptions {
  /** SECRET_ENCRYPTION_KEYS: `id:<base64 32 bytes>`, comma-separated, the first one active. */
  secretEncryptionKeys: string;
  /** Created at start-up when no configuration of its name exists. */
  firstStart?: FirstStartChatConfiguration | null;
  /** In-process configurations that shadow the table (tests, benchmarks). */
  pinned?: readonly ChatConfigurationCredentials[];
}

/**
 * Chat configurations for every process: the directory sends and deliveries look configurations up in (global, as
 * CHAT_CONFIGURATION_CREDENTIALS), the management use-cases, and the first-start creation. Expects DatabaseModule.
 */
@Module({})
export class ChatConfigurationsModule {
  static forRoot(options: ChatConfigurationsModuleOptions): DynamicModule {
    const useCases = [
      CreateChatConfigurationUseCase,
      UpdateChatConfigurationUseCase,
      GetChatConfigurationUseCase,
      ListChatConfigurationsUseCase,
      DeleteChatConfigurationUseCase,
      ReencryptSecretsUseCase,
    ];
    return {
      module: ChatConfigurationsModule,
      global: true,
      imports: [AuditModule],
      providers: [
        { provide: SECRET_CIPHER, useValue: new SecretCipher(options.secretEncryptionKeys) },
        {
          provide: ChatConfigurationDirectory,
          inject: [DataSource, SECRET_CIPHER],
          useFactory: (dataSource: DataSource, cipher: SecretCipher) =>
            new ChatConfigurationDirectory(dataSource, cipher, options.pinned ?? []),
        },
        { provide: CHAT_CONFIGURATION_CREDENTIALS, useExisting: ChatConfigurationDirectory },
        { provide: FIRST_START_CHAT_CONFIGURATION, useValue: options.firstStart ?? null },
        FirstStartChatConfigurationCreator,
        ...useCases,
      ],
      exports: [SECRET_CIPHER, ChatConfigurationDirectory, CHAT_CONFIGURATION_CREDENTIALS, FirstStartChatConfigurationCreator, ...useCases],
    };
  }
}
