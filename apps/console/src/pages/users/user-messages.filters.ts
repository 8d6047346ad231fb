import { MSG_KEYS, type MsgKey, RECIPIENT_STATUSES, type RecipientStatus } from '@dingrelay/contracts/client';
import { choiceFilter, type FilterSpec, instantFilter, textFilter } from '../../hooks/use-url-filters';

/** `GET /v1/recipients`: the user, and the filters both history views share, named as the API names them. */
export interface UserMessagesFilters {
  userId?: string;
  chatConfiguration?: string;
  robotCode?: string;
  msgKey?: MsgKey;
  status?: RecipientStatus;
  createdFrom?: string;
  createdTo?: string;
}

export const USER_MESSAGES_FILTER_SPEC: FilterSpec<UserMessagesFilters> = {
  userId: textFilter,
  chatConfiguration: textFilter,
  robotCode: textFilter,
  msgKey: choiceFilter(MSG_KEYS),
  status: choiceFilter(RECIPIENT_STATUSES),
  createdFrom: instantFilter,
  createdTo: instantFilter,
};

export const USER_MESSAGES_PAGE_SIZE = 100;
