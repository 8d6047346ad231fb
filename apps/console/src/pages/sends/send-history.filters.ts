import { MSG_KEYS, type MsgKey, SEND_STATUSES, type SendStatus } from '@dingrelay/contracts/client';
import { choiceFilter, type FilterSpec, instantFilter, textFilter } from '../../hooks/use-url-filters';

/** Every filter of `GET /v1/sends`, named as the API names them, so the console's URL reads like the API call. */
export interface SendHistoryFilters {
  chatConfiguration?: string;
  robotCode?: string;
  msgKey?: MsgKey;
  status?: SendStatus;
  createdFrom?: string;
  createdTo?: string;
  requester?: string;
  idempotencyKey?: string;
}

export const SEND_HISTORY_FILTER_SPEC: FilterSpec<SendHistoryFilters> = {
  chatConfiguration: textFilter,
  robotCode: textFilter,
  msgKey: choiceFilter(MSG_KEYS),
  status: choiceFilter(SEND_STATUSES),
  createdFrom: instantFilter,
  createdTo: instantFilter,
  requester: textFilter,
  idempotencyKey: textFilter,
};

/** Rows per page: what the first screen shows and the render budget (300 ms for 100 rows) is measured on. */
export const HISTORY_PAGE_SIZE = 100;
