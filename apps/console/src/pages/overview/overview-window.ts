import type { SendStatsInterval, SendStatsParams } from '@dingrelay/contracts/client';
import dayjs from 'dayjs';
import { choiceFilter, type FilterSpec } from '../../hooks/use-url-filters';
import { boundedTextFilter } from '../../hooks/bounded-text.filter';

export const OVERVIEW_RANGES = ['24h', '7d'] as const;
export type OverviewRange = (typeof OVERVIEW_RANGES)[number];

/** `?range=7d&chatConfiguration=…`: the overview's choices, bookmarkable like every other view. */
export interface OverviewFilters {
  range?: OverviewRange;
  chatConfiguration?: string;
}

export const OVERVIEW_FILTER_SPEC: FilterSpec<OverviewFilters> = {
  range: choiceFilter(OVERVIEW_RANGES),
  chatConfiguration: boundedTextFilter(255),
};

const INTERVAL: Record<OverviewRange, SendStatsInterval> = { '24h': 'hour', '7d': 'day' };

/**
 * The stats request for a range ending now, in the user's time zone: the last 24 hours as 24 hourly buckets (the
 * current hour last, still filling), or the last 7 days as 7 daily buckets from local midnight (today last).
 */
export function sendStatsParams(range: OverviewRange, timeZone: string, chatConfiguration: string | undefined, now = dayjs()): SendStatsParams {
  const end = range === '24h' ? now.startOf('hour').add(1, 'hour') : now.startOf('day').add(1, 'day');
  const start = range === '24h' ? end.subtract(24, 'hour') : end.subtract(7, 'day');
  return {
    createdFrom: start.format('YYYY-MM-DDTHH:mm:ssZ'),
    createdTo: end.format('YYYY-MM-DDTHH:mm:ssZ'),
    interval: INTERVAL[range],
    timeZone,
    ...(chatConfiguration ? { chatConfiguration } : {}),
  };
}
