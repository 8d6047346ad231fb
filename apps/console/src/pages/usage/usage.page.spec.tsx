import type { UsageResponse } from '@dingrelay/contracts/client';
import { screen, within } from '@testing-library/react';
import { ok, renderConsolePage } from '../../test/console-page.harness';
import { isFutureMonth, USAGE_FILTER_SPEC } from './usage-month';
import { parseFilters } from '../../hooks/use-url-filters';
import dayjs from 'dayjs';
import UsagePage from './usage.page';

vi.setConfig({ testTimeout: 60_000 });

const usage = (month: string): UsageResponse => ({
  month,
  timeZone: 'Asia/Shanghai',
  configurations: [
    {
      chatConfiguration: 'default',
      calls: 1204,
      billableCalls: 1200,
      recipients: 20_480,
      delivered: 20_400,
      throttled: 4,
      errors: 2,
      quota: { monthlyCalls: 5000, remaining: 3800, usedRatio: 0.24, warning: false, warningRatio: 0.8 },
      pause: null,
    },
    {
      chatConfiguration: 'hr-robot',
      calls: 9,
      billableCalls: 9,
      recipients: 90,
      delivered: 88,
      throttled: 0,
      errors: 0,
      quota: { monthlyCalls: 10, remaining: 1, usedRatio: 0.9, warning: true, warningRatio: 0.8 },
      pause: { reason: 'quota-exhausted', code: 'Forbidden.AccessDenied.ApiCountLimitForOrg', message: null, since: '2026-11-20T02:00:00Z', until: '2026-11-20T03:00:00Z' },
    },
  ],
});

function renderUsage(path: string) {
  return renderConsolePage({
    path,
    routes: { '/usage': <UsagePage /> },
    role: 'auditor',
    answers: ({ path, url }) => (path === '/v1/usage' ? ok(usage(url.searchParams.get('month') ?? '2026-12')) : undefined),
  });
}

describe('usage month in the URL', () => {
  it('takes YYYY-MM and drops anything else', () => {
    expect(parseFilters(USAGE_FILTER_SPEC, new URLSearchParams('month=2026-11'))).toEqual({ month: '2026-11' });
    for (const bad of ['2026-13', '2026-1', '202611', 'november']) expect(parseFilters(USAGE_FILTER_SPEC, new URLSearchParams({ month: bad }))).toEqual({});
  });

  it('offers no month after the current one', () => {
    const now = dayjs('2026-12-07');
    expect([isFutureMonth(dayjs('2026-12-31'), now), isFutureMonth(dayjs('2027-01-01'), now), isFutureMonth(dayjs('2026-11-01'), now)]).toEqual([false, true, false]);
  });
});

describe('usage page', () => {
  it('a bookmarked month asks for that month and shows it, with every count, the quota and the pause', async () => {
    const page = renderUsage('/usage?month=2026-11');
    await screen.findByText('hr-robot');
    expect(page.api.lastRequest('/v1/usage')!.url.search).toBe('?month=2026-11');
    expect(screen.getByLabelText('Month')).toHaveValue('2026-11');
    const row = screen.getByText('hr-robot').closest('tr')!;
    expect(within(row).getByText('9 / 10 (90%)')).toBeInTheDocument();
    expect(within(row).getByText('Near the limit')).toBeInTheDocument();
    expect(within(row).getByText('Paused')).toBeInTheDocument();
    const first = screen.getByText('default').closest('tr')!;
    expect(within(first).getByText('20,480')).toBeInTheDocument();
    expect(within(first).getByText('Running')).toBeInTheDocument();
    expect(screen.getByText('Total').closest('tr')).toHaveTextContent('1,213');
  });

  it('without a month (or with a bad one) asks for the current month and shows the one the API answered', async () => {
    const page = renderUsage('/usage?month=2026-13');
    await screen.findByText('hr-robot');
    expect(page.api.lastRequest('/v1/usage')!.url.search).toBe('');
    expect(screen.getByLabelText('Month')).toHaveValue('2026-12');
    expect(screen.getByText('Months are counted in Asia/Shanghai, DingTalk\'s quota time zone.')).toBeInTheDocument();
  });
});
