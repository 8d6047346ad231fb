import { EXPORT_KINDS, type ExportKind } from '@dingrelay/contracts/client';
import { choiceFilter, type FilterSpec } from '../../hooks/use-url-filters';
import { SEND_HISTORY_FILTER_SPEC, type SendHistoryFilters } from '../sends/send-history.filters';
import { USER_MESSAGES_FILTER_SPEC, type UserMessagesFilters } from '../users/user-messages.filters';

/** How the file is made, kept in the URL with the filters: a link reproduces the same export. */
export interface ExportFileChoice {
  export?: ExportKind;
  format?: 'csv' | 'ndjson';
  /** `'true'`/`'false'` in the URL; Excel-friendly CSV (with the UTF-8 BOM) unless turned off. */
  bom?: 'true' | 'false';
}

export const EXPORT_FILE_SPEC: FilterSpec<ExportFileChoice> = {
  export: choiceFilter(EXPORT_KINDS),
  format: choiceFilter(['csv', 'ndjson'] as const),
  bom: choiceFilter(['true', 'false'] as const),
};

/** The history filters of each export: the same as the page the export comes from, so its URL's query carries over. */
export const EXPORT_FILTER_SPECS = { sends: SEND_HISTORY_FILTER_SPEC, recipients: USER_MESSAGES_FILTER_SPEC } as const;
export type ExportFilters = { sends: SendHistoryFilters; recipients: UserMessagesFilters };

/** The export's file settings with their defaults: sends, CSV, with the BOM so Excel reads Chinese as Chinese. */
export function fileOf(choice: ExportFileChoice): { export: ExportKind; format: 'csv' | 'ndjson'; bom: boolean } {
  const format = choice.format ?? 'csv';
  return { export: choice.export ?? 'sends', format, bom: format === 'csv' && choice.bom !== 'false' };
}

/**
 * `/exports?…` for the view a history page shows: its filters as they are, and which export they belong to. The
 * page token is left behind: an export is every matching row, not one page.
 */
export function exportPathFor(kind: ExportKind, search: URLSearchParams): string {
  const params = new URLSearchParams({ export: kind });
  for (const key of Object.keys(EXPORT_FILTER_SPECS[kind])) {
    const value = search.get(key);
    if (value !== null) params.set(key, value);
  }
  return `/exports?${params}`;
}

/** A 400 about `filters.chatConfiguration` belongs under the form's `chatConfiguration`. */
export function withoutFiltersPrefix(field: string): string {
  return field.startsWith('filters.') ? field.slice('filters.'.length) : field;
}
