import type { ListAuditEventsQuery } from '../audit/audit-events.query.js';
import type { ListChatConfigurationsQuery } from '../chat-configurations/chat-configuration.requests.js';
import type { RecipientHistoryFilter, SendHistoryFilter } from '../history/history-filters.js';
import type { ListInboundMessagesQuery } from '../inbound/list-inbound-messages.query.js';
import type { RecipientStatus } from '../sends/send-status.js';
import type { SendStatsQuery } from '../stats/send-stats.query.js';

/** Keyset paging every listing takes: 1–1000 items (100 by default) and the previous page's `nextToken`. */
export interface PageParams {
  maxResults?: number;
  nextToken?: string;
}

type Filters<T> = { [K in keyof T as K extends 'MaxResults' | 'NextToken' | 'maxResults' | 'nextToken' ? never : K]?: T[K] };

export interface ListSendRecipientsParams extends PageParams {
  status?: RecipientStatus;
}
export type ListSendsParams = Filters<SendHistoryFilter> & PageParams;
export type ListUserRecipientsParams = Filters<RecipientHistoryFilter> & PageParams & { userId: string };
export type ExportSendsParams = Filters<SendHistoryFilter>;
export type ExportRecipientsParams = Filters<RecipientHistoryFilter> & { userId?: string };

/**
 * How an export's file is made: CSV (the default), optionally starting with the UTF-8 byte order mark that tells
 * Excel the file is UTF-8 (without it Excel shows Chinese as mojibake), or NDJSON, which never takes one.
 */
export type ExportOptions = { format?: 'csv'; bom?: boolean } | { format: 'ndjson'; bom?: false };

/**
 * `POST /v1/exports/links`: a one-time download link for one export, its filters exactly those of the export's
 * query (`filters: {}` for everything).
 */
export type CreateExportLinkParams =
  | ({ export: 'sends'; filters: ExportSendsParams } & ExportOptions)
  | ({ export: 'recipients'; filters: ExportRecipientsParams } & ExportOptions);
export type ListChatConfigurationsParams = Filters<ListChatConfigurationsQuery> & PageParams;
export type ListAuditEventsParams = Filters<ListAuditEventsQuery> & PageParams;
export type ListInboundMessagesParams = Filters<ListInboundMessagesQuery> & PageParams;
export interface UsageParams {
  /** `YYYY-MM`; the current month (DingTalk's time zone) when omitted. */
  month?: string;
}
/** `GET /v1/stats/sends`: `createdFrom`, `createdTo` and `interval` required; `timeZone` UTC when omitted. */
export type SendStatsParams = Pick<SendStatsQuery, keyof SendStatsQuery>;
