// class-transformer's @Type reads design-time type metadata while the class is being defined, so the
// Reflect.metadata polyfill must be installed before this module's decorators run, whoever imports it.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { quoteForMessage } from '../errors/field-path.js';
import { RECIPIENT_STATUSES, type RecipientStatus } from './send-status.js';

export const DEFAULT_RECIPIENTS_PAGE_SIZE = 100;
export const MAX_RECIPIENTS_PAGE_SIZE = 1000;
export const MAX_NEXT_TOKEN_LENGTH = 512;

/** Query of `GET /v1/sends/:id/recipients`, one page of per-recipient outcomes. */
export class ListRecipientsQuery {
  /** Only recipients in this status. */
  @IsOptional()
  @IsIn(RECIPIENT_STATUSES, {
    message: (args) =>
      `status must be one of: ${RECIPIENT_STATUSES.join(', ')}` +
      (typeof args.value === 'string' ? `, got ${quoteForMessage(args.value)}` : ''),
  })
  status?: RecipientStatus;

  /** Page size. Query strings arrive as text, hence the conversion; `abc` becomes NaN and fails @IsInt. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_RECIPIENTS_PAGE_SIZE)
  maxResults: number = DEFAULT_RECIPIENTS_PAGE_SIZE;

  /** Opaque cursor from the previous page's `nextToken`; absent for the first page. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NEXT_TOKEN_LENGTH)
  nextToken?: string;
}
