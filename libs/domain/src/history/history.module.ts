import { type DynamicModule, Module } from '@nestjs/common';
import { EXPORT_SETTINGS, type ExportSettings, ExportHistoryUseCase, DEFAULT_EXPORT_SETTINGS } from './export-history.usecase.js';
import { ExportLinkStore } from './export-link.store.js';
import { CreateExportLinkUseCase, RedeemExportLinkUseCase } from './export-links.usecase.js';
import { ListSendsUseCase } from './list-sends.usecase.js';
import { ListUserRecipientsUseCase } from './list-user-recipients.usecase.js';

const USE_CASES = [ListSendsUseCase, ListUserRecipientsUseCase, ExportHistoryUseCase, CreateExportLinkUseCase, RedeemExportLinkUseCase];

/**
 * The auditor's read side: send and recipient history, paged or exported, and one-time download links for exports.
 * Expects DatabaseModule and QueueModule (the links live in Redis).
 */
@Module({})
export class HistoryModule {
  static forRoot(settings: Partial<ExportSettings> = {}): DynamicModule {
    return {
      module: HistoryModule,
      providers: [{ provide: EXPORT_SETTINGS, useValue: { ...DEFAULT_EXPORT_SETTINGS, ...settings } }, ExportLinkStore, ...USE_CASES],
      exports: USE_CASES,
    };
  }
}
