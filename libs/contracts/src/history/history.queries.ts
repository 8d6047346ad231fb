import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_USER_ID_LENGTH } from '../validation/user-id-list.constraint.js';
import { Paged } from '../pagination/page.query.js';
import { RecipientHistoryFilter, SendHistoryFilter } from './history-filters.js';
import { EXPORT_FORMATS, type ExportFormat } from './export-formats.js';

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

/** `GET /v1/exports/sends`: every matching send as one streamed file. */
export class ExportSendsQuery extends SendHistoryFilter {
  /** Overrides the Accept header; CSV when neither chooses. */
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: `format must be one of: ${EXPORT_FORMATS.join(', ')}` })
  format?: ExportFormat;
}

/** `GET /v1/exports/recipients`: every matching recipient row, for one user or for all. */
export class ExportRecipientsQuery extends RecipientHistoryFilter {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_USER_ID_LENGTH)
  userId?: string;

  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: `format must be one of: ${EXPORT_FORMATS.join(', ')}` })
  format?: ExportFormat;
}
