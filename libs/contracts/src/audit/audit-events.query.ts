import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { quoteForMessage } from '../errors/field-path.js';
import { IsIsoDateTimeWithOffset } from '../history/history-time.constraint.js';
import { PageQuery } from '../pagination/page.query.js';
import { AUDIT_OUTCOMES, type AuditOutcome } from './audit-outcomes.js';

export { AUDIT_OUTCOMES, type AuditOutcome };

const MAX_FILTER_LENGTH = 255;

/** `GET /v1/audit-events`: one page of the audit log, newest first. Every filter narrows; none is required. */
export class ListAuditEventsQuery extends PageQuery {
  /** A dotted action, e.g. `send.cancel`. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_FILTER_LENGTH)
  action?: string;

  /** The API key that acted. */
  @IsOptional()
  @IsUUID('all', { message: 'actorKeyId must be an API key id (a UUID)' })
  actorKeyId?: string;

  /** What was acted on, e.g. `send`; with `targetId`, one object's history. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_FILTER_LENGTH)
  targetType?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_FILTER_LENGTH)
  targetId?: string;

  @IsOptional()
  @IsIn(AUDIT_OUTCOMES, {
    message: (args) =>
      `outcome must be one of: ${AUDIT_OUTCOMES.join(', ')}` +
      (typeof args.value === 'string' ? `, got ${quoteForMessage(args.value)}` : ''),
  })
  outcome?: AuditOutcome;

  /** Events at or after this instant (ISO-8601 with an offset). */
  @IsOptional()
  @IsIsoDateTimeWithOffset()
  from?: string;

  /** Events before this instant (exclusive, so consecutive ranges never list an event twice). */
  @IsOptional()
  @IsIsoDateTimeWithOffset()
  to?: string;
}
