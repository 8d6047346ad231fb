import type { ListInboundMessagesParams } from '@dingrelay/contracts/client';
import { boundedTextFilter } from '../../hooks/bounded-text.filter';
import { type FilterSpec, instantFilter } from '../../hooks/use-url-filters';

/** The filters of `GET /v1/inbound-messages`, under the API's names. */
export interface InboundFilters {
  chatConfiguration?: string;
  senderStaffId?: string;
  msgtype?: string;
  conversationId?: string;
  createdFrom?: string;
  createdTo?: string;
}

export const INBOUND_FILTER_SPEC: FilterSpec<InboundFilters> = {
  chatConfiguration: boundedTextFilter(256),
  senderStaffId: boundedTextFilter(256),
  // Any type DingTalk pushes is stored and filterable, not only those this console draws.
  msgtype: boundedTextFilter(64),
  conversationId: boundedTextFilter(256),
  createdFrom: instantFilter,
  createdTo: instantFilter,
};

/** The message types DingTalk pushes to robots (robot callback spec §9.1), offered in the filter. */
export const INBOUND_MESSAGE_TYPES = ['text', 'richText', 'picture', 'audio', 'video', 'file'] as const;

export const INBOUND_PAGE_SIZE = 50;

export function inboundQuery(filters: Partial<InboundFilters>, nextToken: string | undefined): ListInboundMessagesParams {
  return { ...filters, maxResults: INBOUND_PAGE_SIZE, ...(nextToken ? { nextToken } : {}) };
}
