import { type DynamicModule, Module } from '@nestjs/common';
import { EXPORT_SETTINGS, type ExportSettings, ExportHistoryUseCase, DEFAULT_EXPORT_SETTINGS } from './export-history.usecase.js';
import { SendStatsRepository } from '../sends/send-stats.repository.js';
import { ExportLinkStore } from './export-link.store.js';
import { CreateExportLinkUseCase, RedeemExportLinkUseCase } from './export-links.usecase.js';
import { GetSendStatsUseCase } from './get-send-stats.usecase.js';
import { ListSendsUseCase } from './list-sends.usecase.js';
import { ListUserRecipientsUseCase } from './list-user-recipients.usecase.js';

const USE_CASES = [ListSendsUseCase, ListUserRecipientsUseCase, ExportHistoryUseCase, CreateExportLinkUseCase, RedeemExportLinkUseCase, GetSendStatsUseCase];

/**
 * The read side: send and recipient history, paged or exported, one-time download links for exports, and send
 * statistics. Expects DatabaseModule and QueueModule (the links live in Redis).
 */
@Module({})
export class HistoryModule {
  static forRoot(settings: Partial<ExportSettings> = {}): DynamicModule {
    return {
      module: HistoryModule,
      providers: [{ provide: EXPORT_SETTINGS, useValue: { ...DEFAULT_EXPORT_SETTINGS, ...settings } }, SendStatsRepository, ExportLinkStore, ...USE_CASES],
      exports: USE_CASES,
    };
  }
}
