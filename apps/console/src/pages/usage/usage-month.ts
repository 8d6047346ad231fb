import dayjs from 'dayjs';
import type { FilterSpec } from '../../hooks/use-url-filters';

/** `?month=YYYY-MM`, as `GET /v1/usage` takes it; absent: the current month in DingTalk's quota time zone. */
export interface UsageFilters {
  month?: string;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export const USAGE_FILTER_SPEC: FilterSpec<UsageFilters> = {
  month: { parse: (raw) => (MONTH.test(raw.trim()) ? raw.trim() : undefined), format: (value) => value },
};

/** Months after the current one hold no usage yet; the picker does not offer them. */
export function isFutureMonth(month: dayjs.Dayjs, now: dayjs.Dayjs = dayjs()): boolean {
  return month.isAfter(now, 'month');
}
