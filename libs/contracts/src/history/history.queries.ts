import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_USER_ID_LENGTH } from '../validation/user-id-list.constraint.js';
import { Paged } from '../pagination/page.query.js';
import { RecipientHistoryFilter, SendHistoryFilter } from './history-filters.js';
import { EXPORT_FORMATS, type ExportFormat } from './export-formats.js';
import { WithExportQueryOptions } from './export-options.js';

export { EXPORT_FORMATS, type ExportFormat };

/** `GET /v1/sends`: one page of sends, newest first. */
export class ListSendsQuery extends Paged(SendHistoryFilter) {}

/** `GET /v1/recipients`: one page of everything one user was sent, newest first. */
export class ListUserRecipientsQuery extends Paged(RecipientHistoryFilter) {
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_USER_ID_LENGTH)
  userId!: string;
}

/** The filters of `GET /v1/exports/sends`: the send history's, without paging. */
export class ExportSendsFilter extends SendHistoryFilter {}

/** The filters of `GET /v1/exports/recipients`: the recipient history's, for one user or (no `userId`) for all. */
export class ExportRecipientsFilter extends RecipientHistoryFilter {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_USER_ID_LENGTH)
  userId?: string;
}

/** `GET /v1/exports/sends`: every matching send as one streamed file. */
export class ExportSendsQuery extends WithExportQueryOptions(ExportSendsFilter) {}

/** `GET /v1/exports/recipients`: every matching recipient row, for one user or for all. */
export class ExportRecipientsQuery extends WithExportQueryOptions(ExportRecipientsFilter) {}
