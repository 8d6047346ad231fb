import { BullModule } from '@nestjs/bull';
import { type DynamicModule, Module } from '@nestjs/common';
import { QueueName } from '@dingrelay/contracts';
import { PurgeRecipientDetailUseCase } from './purge-recipient-detail.usecase.js';
import { RecipientRetentionProcessor } from './recipient-retention.processor.js';
import { DEFAULT_RETENTION_SETTINGS, RETENTION_SETTINGS, type RetentionSettings } from './retention.settings.js';

/** The worker's scheduled purge of old recipient-level detail. Expects DatabaseModule and QueueModule. */
@Module({})
export class RetentionModule {
  static forRoot(settings: Partial<RetentionSettings> = {}): DynamicModule {
    return {
      module: RetentionModule,
      imports: [BullModule.registerQueue({ name: QueueName.RecipientRetention })],
      providers: [
        { provide: RETENTION_SETTINGS, useValue: { ...DEFAULT_RETENTION_SETTINGS, ...settings } },
        PurgeRecipientDetailUseCase,
        RecipientRetentionProcessor,
      ],
      exports: [PurgeRecipientDetailUseCase],
    };
  }
}
