import { CHAT_CONFIGURATION_STATUSES, CHAT_CONFIGURATION_TYPES, type ChatConfigurationStatus, type ChatConfigurationType } from '@dingrelay/contracts/client';
import { choiceFilter, type FilterField, type FilterSpec, textFilter } from '../../hooks/use-url-filters';

/** The list's filters as they stand in the URL; the parameter names are `GET /v1/chat-configurations`'s. */
export interface ConfigurationFilters {
  name?: string;
  type?: ChatConfigurationType;
  status?: ChatConfigurationStatus;
  /** `key` (the tag is present) or `key=value`. */
  tag?: string;
  maxResults?: number;
}

export const PAGE_SIZES = [20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 50;

const pageSizeFilter: FilterField<number> = {
  parse: (raw) => (PAGE_SIZES as readonly number[]).includes(Number(raw)) ? Number(raw) : undefined,
  format: (value) => String(value),
};

/** A tag key as the API takes it: no leading blank, `,` `=` or `:`, and no `,` or `=` anywhere (1–128 characters). */
export const TAG_KEY_PATTERN = /^[^\s,=:][^,=]{0,127}$/;

/** `key` or `key=value`, the value at most 256 characters; anything else is left out of the request. */
export function isTagFilter(raw: string): boolean {
  const at = raw.indexOf('=');
  const key = at === -1 ? raw : raw.slice(0, at);
  return TAG_KEY_PATTERN.test(key) && (at === -1 || raw.length - at - 1 <= 256);
}

const tagFilter: FilterField<string> = {
  parse: (raw) => (raw.trim() !== '' && isTagFilter(raw.trim()) ? raw.trim() : undefined),
  format: (value) => value,
};

export const CONFIGURATION_FILTERS: FilterSpec<ConfigurationFilters> = {
  name: textFilter,
  type: choiceFilter(CHAT_CONFIGURATION_TYPES),
  status: choiceFilter(CHAT_CONFIGURATION_STATUSES),
  tag: tagFilter,
  maxResults: pageSizeFilter,
};
