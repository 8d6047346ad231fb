// class-transformer's @Type reads design-time type metadata while the class is being defined, so the
// Reflect.metadata polyfill must be installed before this module's decorators run, whoever imports it.
import 'reflect-metadata';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsIsoDateTimeWithOffset } from '../history/history-time.constraint.js';
import { PageQuery } from '../pagination/page.query.js';

const MAX_FILTER_LENGTH = 256;

/** Query of `GET /v1/inbound-messages`: messages users sent the robots, newest first, keyset-paged. */
export class ListInboundMessagesQuery extends PageQuery {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_FILTER_LENGTH)
  chatConfiguration?: string;

  /** The sender's userId (`senderStaffId`). */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_FILTER_LENGTH)
  senderStaffId?: string;

  /** `text`, `richText`, `picture`, `audio`, `video`, `file`. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  msgtype?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_FILTER_LENGTH)
  conversationId?: string;

  /** Messages sent (DingTalk's `createAt`) at or after this instant. */
  @IsOptional()
  @IsIsoDateTimeWithOffset()
  createdFrom?: string;

  /** Messages sent before this instant (exclusive). */
  @IsOptional()
  @IsIsoDateTimeWithOffset()
  createdTo?: string;
}
