import { SEND_STATUSES, type SendCountsByStatus, type SendStatsResponse, type SendStatus } from '@dingrelay/contracts/client';
import dayjs from 'dayjs';

export interface SendStatsSeries {
  /** Each bucket's start (ISO), oldest first: the chart's categories. */
  starts: string[];
  /** Per send status, the count in each bucket (0 where the bucket had none). */
  counts: Record<SendStatus, number[]>;
}

/**
 * The chart's data: every bucket of the range in time order, each status counted (0 when absent). The API lists
 * every bucket, empty ones included; when its buckets were cut in the browser's own zone, any bucket it left out is
 * put back as zeros so the bars never close a gap in time.
 */
export function sendStatsSeries(stats: Pick<SendStatsResponse, 'createdFrom' | 'createdTo' | 'interval' | 'timeZone' | 'buckets'>, localTimeZone: string): SendStatsSeries {
  const byStart = new Map<number, Partial<SendCountsByStatus>>();
  for (const bucket of stats.buckets) byStart.set(Date.parse(bucket.start), bucket.sends);
  if (stats.timeZone === localTimeZone) {
    for (const start of localBucketStarts(stats.createdFrom, stats.createdTo, stats.interval)) if (!byStart.has(start)) byStart.set(start, {});
  }
  const starts = [...byStart.keys()].sort((a, b) => a - b);
  const counts = Object.fromEntries(SEND_STATUSES.map((status) => [status, starts.map((start) => byStart.get(start)?.[status] ?? 0)])) as Record<SendStatus, number[]>;
  return { starts: starts.map((start) => new Date(start).toISOString()), counts };
}

/** The range's bucket starts as the API cuts them: the first at `from`, then each local hour or local midnight. */
function localBucketStarts(from: string, to: string, interval: 'hour' | 'day'): number[] {
  const end = dayjs(to);
  const starts: number[] = [];
  let start = dayjs(from);
  while (start.isBefore(end) && starts.length <= 400) {
    starts.push(start.valueOf());
    start = start.startOf(interval).add(1, interval);
  }
  return starts;
}
