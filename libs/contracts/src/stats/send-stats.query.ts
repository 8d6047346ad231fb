import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsIsoDateTimeWithOffset } from '../history/history-time.constraint.js';
import { SEND_STATS_INTERVALS, type SendStatsInterval } from './send-stats.responses.js';
import { IsIanaTimeZone } from './time-zone.constraint.js';

const MAX_FILTER_LENGTH = 255;
const INSTANT = 'an ISO-8601 date and time with an offset, e.g. 2026-11-01T00:00:00Z or 2026-11-01T08:00:00+08:00';

/** `GET /v1/stats/sends`: sends per status over time, bucketed by hour or local day. */
export class SendStatsQuery {
  /** Sends created at or after this instant. Required. */
  @IsIsoDateTimeWithOffset({ message: (args) => `${args.property} ${args.value === undefined ? 'is required' : 'must be'}: ${INSTANT}` })
  createdFrom!: string;

  /** Sends created before this instant (exclusive). Required. */
  @IsIsoDateTimeWithOffset({ message: (args) => `${args.property} ${args.value === undefined ? 'is required' : 'must be'}: ${INSTANT}` })
  createdTo!: string;

  @IsIn(SEND_STATS_INTERVALS, { message: `interval must be one of: ${SEND_STATS_INTERVALS.join(', ')}` })
  interval!: SendStatsInterval;

  /** The zone buckets are cut in (day buckets start at its local midnight); UTC when omitted. */
  @IsOptional()
  @IsIanaTimeZone()
  timeZone?: string;

  /** Only sends through this chat configuration. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_FILTER_LENGTH)
  chatConfiguration?: string;
}
