import type { IsoDateTime, RecipientCounts } from '../sends/send.responses.js';
import type { SendStatus } from '../sends/send-status.js';

/** The bucket sizes of `GET /v1/stats/sends` (a module without validation decorators, for the API client). */
export const SEND_STATS_INTERVALS = ['hour', 'day'] as const;
export type SendStatsInterval = (typeof SEND_STATS_INTERVALS)[number];

/** The most buckets one request may span: a week of hours, a leap year of days. */
export const MAX_SEND_STATS_BUCKETS: Readonly<Record<SendStatsInterval, number>> = { hour: 168, day: 366 };

/** The zone buckets are cut in when the request names none. */
export const DEFAULT_SEND_STATS_TIME_ZONE = 'UTC';

/** Sends counted by their status now; keyed by SendStatus so a new status cannot be left out. */
export type SendCountsByStatus = { total: number } & { [S in SendStatus]: number };

/** The sends created in one bucket: from `start` until the next bucket's start (the last: until `createdTo`). */
export interface SendStatsBucket {
  start: IsoDateTime;
  sends: SendCountsByStatus;
}

/** Response of `GET /v1/stats/sends`: sends per status over time, and totals over the whole range. */
export interface SendStatsResponse {
  /** The range asked for, in UTC: from inclusive, to exclusive. */
  createdFrom: IsoDateTime;
  createdTo: IsoDateTime;
  interval: SendStatsInterval;
  /** The IANA zone the buckets were cut in, as given (default `UTC`). */
  timeZone: string;
  /**
   * Every bucket of the range in order, empty ones included. The first starts at `createdFrom`, the others on the
   * interval's boundaries in `timeZone`: each local hour, or each local midnight (a day may last 23 or 25 hours).
   */
  buckets: SendStatsBucket[];
  /** Every send of the range, by its status now; the buckets add up to it. */
  sends: SendCountsByStatus;
  /** The recipients of those sends, by their status now. */
  recipients: RecipientCounts;
  /** Calls to DingTalk for those sends whose answer was lost (their users may have the message twice, or not at all). */
  ambiguousCalls: number;
}
