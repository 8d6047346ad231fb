import { Module } from '@nestjs/common';
import { ExportHistoryUseCase } from './export-history.usecase.js';
import { ListSendsUseCase } from './list-sends.usecase.js';
import { ListUserRecipientsUseCase } from './list-user-recipients.usecase.js';

/** The auditor's read side: send and recipient history, paged or exported. Expects DatabaseModule. */
@Module({
  providers: [ListSendsUseCase, ListUserRecipientsUseCase, ExportHistoryUseCase],
  exports: [ListSendsUseCase, ListUserRecipientsUseCase, ExportHistoryUseCase],
})
export class HistoryModule {}
