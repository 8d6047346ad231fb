import type { SendStatsResponse } from '@dingrelay/contracts/client';
import dayjs from 'dayjs';
import { sendStatsSeries } from './send-stats.series';

const zero = { total: 0, accepted: 0, delivering: 0, completed: 0, cancelled: 0 };
const hour = (h: number) => dayjs('2026-12-07T00:00:00Z').add(h, 'hour').toISOString();

function stats(buckets: SendStatsResponse['buckets'], overrides: Partial<SendStatsResponse> = {}): SendStatsResponse {
  return {
    createdFrom: hour(0),
    createdTo: hour(4),
    interval: 'hour',
    timeZone: 'UTC',
    buckets,
    sends: zero,
    recipients: { total: 0, pending: 0, delivered: 0, invalid: 0, failed: 0, cancelled: 0, unknown: 0 },
    ambiguousCalls: 0,
    ...overrides,
  };
}

describe('send stats as chart series', () => {
  it('keeps every bucket in time order, one value per status, as the API gave them', () => {
    const series = sendStatsSeries(
      stats([
        { start: hour(2), sends: { ...zero, total: 3, completed: 2, cancelled: 1 } },
        { start: hour(0), sends: { ...zero, total: 1, accepted: 1 } },
        { start: hour(3), sends: zero },
        { start: hour(1), sends: { ...zero, total: 4, delivering: 4 } },
      ]),
      'Europe/Berlin',
    );
    expect(series.starts).toEqual([hour(0), hour(1), hour(2), hour(3)]);
    expect(series.counts).toEqual({ accepted: [1, 0, 0, 0], delivering: [0, 4, 0, 0], completed: [0, 0, 2, 0], cancelled: [0, 0, 1, 0] });
  });

  it('puts back a bucket the answer left out, and a status it left out, as zeros', () => {
    const series = sendStatsSeries(stats([{ start: hour(1), sends: { total: 2, completed: 2 } as SendStatsResponse['sends'] }]), 'UTC');
    expect(series.starts).toEqual([hour(0), hour(1), hour(2), hour(3)]);
    expect(series.counts.completed).toEqual([0, 2, 0, 0]);
    expect(series.counts.accepted).toEqual([0, 0, 0, 0]);
  });

  it('cuts a first partial bucket at createdFrom, then on the interval boundaries', () => {
    const series = sendStatsSeries(stats([], { createdFrom: '2026-12-07T00:30:00Z', createdTo: '2026-12-07T03:00:00Z' }), 'UTC');
    expect(series.starts).toEqual(['2026-12-07T00:30:00.000Z', hour(1), hour(2)]);
  });

  it('does not invent buckets cut in another time zone than the browser', () => {
    const days = stats([{ start: '2026-12-06T16:00:00.000Z', sends: zero }], { interval: 'day', timeZone: 'Asia/Shanghai', createdFrom: '2026-12-06T16:00:00Z', createdTo: '2026-12-07T16:00:00Z' });
    expect(sendStatsSeries(days, 'UTC').starts).toEqual(['2026-12-06T16:00:00.000Z']);
  });
});
