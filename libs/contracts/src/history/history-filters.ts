import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { quoteForMessage } from '../errors/field-path.js';
import { MSG_KEYS, type MsgKey } from '../messages/msg-key-catalog.js';
import { RECIPIENT_STATUSES, type RecipientStatus, SEND_STATUSES, type SendStatus } from '../sends/send-status.js';
import { IsIsoDateTimeWithOffset } from './history-time.constraint.js';

const MAX_FILTER_LENGTH = 255;

function oneOf(field: string, values: readonly string[]) {
  return {
    message: (args: { value: unknown }) =>
      `${field} must be one of: ${values.join(', ')}` +
      (typeof args.value === 'string' ? `, got ${quoteForMessage(args.value)}` : ''),
  };
}

/** Filters both history views share: where a message went out, what it was and when. */
export class HistoryFilter {
  /** Name of the chat configuration the send went through. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_FILTER_LENGTH)
  chatConfiguration?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_FILTER_LENGTH)
  robotCode?: string;

  @IsOptional()
  @IsIn(MSG_KEYS, oneOf('msgKey', MSG_KEYS))
  msgKey?: MsgKey;

  /** Sends created at or after this instant (ISO-8601 with an offset). */
  @IsOptional()
  @IsIsoDateTimeWithOffset()
  createdFrom?: string;

  /** Sends created before this instant (exclusive, so consecutive ranges never count a send twice). */
  @IsOptional()
  @IsIsoDateTimeWithOffset()
  createdTo?: string;
}

/** Filters of the send history (`GET /v1/sends`, `GET /v1/exports/sends`). */
export class SendHistoryFilter extends HistoryFilter {
  @IsOptional()
  @IsIn(SEND_STATUSES, oneOf('status', SEND_STATUSES))
  status?: SendStatus;

  /** Name of the API key that requested the send. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_FILTER_LENGTH)
  requester?: string;

  /** The `Idempotency-Key` the send was created with. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_FILTER_LENGTH)
  idempotencyKey?: string;
}

/** Filters of the recipient history (`GET /v1/recipients`, `GET /v1/exports/recipients`). */
export class RecipientHistoryFilter extends HistoryFilter {
  /** The recipient's outcome. */
  @IsOptional()
  @IsIn(RECIPIENT_STATUSES, oneOf('status', RECIPIENT_STATUSES))
  status?: RecipientStatus;
}
