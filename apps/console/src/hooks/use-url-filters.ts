import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/** The URL parameter holding the current page's keyset token; every filter change starts again from the first page. */
export const PAGE_PARAM = 'page';

/**
 * How one filter sits in the URL: its parameter name is the API's, so a console URL's query reads like the API
 * call it makes. `parse` refuses a value the API would refuse (the filter is then left out, not sent).
 */
export interface FilterField<V> {
  parse(raw: string): V | undefined;
  format(value: V): string;
}

export type FilterSpec<F> = { [K in keyof F]-?: FilterField<NonNullable<F[K]>> };

export const textFilter: FilterField<string> = {
  parse: (raw) => (raw.trim() === '' ? undefined : raw.trim()),
  format: (value) => value,
};

/** One of a fixed set of values (a status, a msgKey). */
export function choiceFilter<V extends string>(choices: readonly V[]): FilterField<V> {
  return { parse: (raw) => (choices as readonly string[]).includes(raw) ? (raw as V) : undefined, format: (value) => value };
}

/** An instant as ISO-8601 with its offset, e.g. `2026-12-01T00:00:00+08:00` (what the API's time filters take). */
export const instantFilter: FilterField<string> = {
  parse: (raw) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) && !Number.isNaN(Date.parse(raw)) ? raw : undefined),
  format: (value) => value,
};

/** Filters as they stand in the URL (a shared link shows the same view), and the page's keyset token. */
export function parseFilters<F>(spec: FilterSpec<F>, params: URLSearchParams): Partial<F> {
  const filters: Partial<F> = {};
  for (const key of Object.keys(spec) as (keyof F)[]) {
    const raw = params.get(String(key));
    if (raw === null) continue;
    const value = spec[key].parse(raw);
    if (value !== undefined) filters[key] = value as F[keyof F];
  }
  return filters;
}

/** The URL's query for these filters (parameters in the spec's order, empty ones left out), without a page token. */
export function formatFilters<F>(spec: FilterSpec<F>, filters: Partial<F>): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of Object.keys(spec) as (keyof F)[]) {
    const value = filters[key];
    if (value === undefined || value === null || value === '') continue;
    params.set(String(key), spec[key].format(value as NonNullable<F[keyof F]>));
  }
  return params;
}

/**
 * A page's filters, read from and written to the URL. Setting filters drops the page token (the new result starts
 * at its first page) and pushes a history entry, so the browser's back button returns to the previous view.
 */
export function useUrlFilters<F>(spec: FilterSpec<F>) {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseFilters(spec, params), [spec, params]);
  const setFilters = useCallback((next: Partial<F>) => setParams(formatFilters(spec, next)), [spec, setParams]);
  return { filters, setFilters };
}
