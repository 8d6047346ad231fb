import type { SendStatsResponse, UsageResponse } from '@dingrelay/contracts/client';
import { screen, waitFor } from '@testing-library/react';
import dayjs from 'dayjs';
import { parseFilters } from '../../hooks/use-url-filters';
import { ok, renderConsolePage } from '../../test/console-page.harness';
import OverviewPage from './overview.page';
import { OVERVIEW_FILTER_SPEC, sendStatsParams } from './overview-window';

vi.setConfig({ testTimeout: 60_000 });

// ECharts draws on a canvas, which jsdom lacks: a 2D context that accepts every call and draws nothing (the chart's
// numbers are read from the page's text, as a person reading it would).
const noopContext: unknown = new Proxy({}, { get: (_, name) => (name === 'measureText' ? () => ({ width: 10 }) : typeof name === 'string' && /^[a-z]+[A-Z]|^(fill|stroke|save|restore|scale|rotate|translate|transform|arc|rect|clip|moveTo|lineTo|closePath|beginPath)$/.test(name) ? () => {} : undefined), set: () => true });
HTMLCanvasElement.prototype.getContext = (() => noopContext) as unknown as HTMLCanvasElement['getContext'];

const STATS: SendStatsResponse = {
  createdFrom: '2026-12-06T03:00:00.000Z',
  createdTo: '2026-12-07T03:00:00.000Z',
  interval: 'hour',
  timeZone: 'UTC',
  buckets: [],
  sends: { total: 12, accepted: 1, delivering: 2, completed: 8, cancelled: 1 },
  recipients: { total: 340, pending: 20, delivered: 300, invalid: 11, failed: 6, cancelled: 2, unknown: 1 },
  ambiguousCalls: 3,
};

const USAGE: UsageResponse = {
  month: '2026-12',
  timeZone: 'Asia/Shanghai',
  configurations: [
    {
      chatConfiguration: 'hr-robot',
      calls: 9,
      billableCalls: 9,
      recipients: 90,
      delivered: 88,
      throttled: 0,
      errors: 0,
      quota: { monthlyCalls: 10, remaining: 1, usedRatio: 0.9, warning: true, warningRatio: 0.8 },
      pause: { reason: 'quota-exhausted', code: 'Forbidden.AccessDenied.ApiCountLimitForOrg', message: 'quota spent', since: '2026-12-07T02:00:00Z', until: '2026-12-07T03:00:00Z' },
    },
  ],
};

function renderOverview(path: string, role: 'admin' | 'sender' = 'admin') {
  return renderConsolePage({ path, routes: { '/': <OverviewPage /> }, role, answers: { '/v1/stats/sends': ok(STATS), '/v1/usage': ok(USAGE), '/v1/chat-configurations': ok({ items: [], nextToken: null }) } });
}

describe('overview window', () => {
  it('asks for the last 24 hours by the hour, the current hour last, in the given zone', () => {
    const params = sendStatsParams('24h', 'Asia/Shanghai', undefined, dayjs('2026-12-07T10:20:00'));
    expect(params).toMatchObject({ interval: 'hour', timeZone: 'Asia/Shanghai' });
    expect(dayjs(params.createdTo).diff(dayjs(params.createdFrom), 'hour')).toBe(24);
    expect(dayjs(params.createdTo).valueOf()).toBe(dayjs('2026-12-07T11:00:00').valueOf());
    expect(params.createdFrom).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00[+-]\d{2}:\d{2}$/);
  });

  it('asks for the last 7 days by the day, from local midnight, today last', () => {
    const params = sendStatsParams('7d', 'UTC', 'hr-robot', dayjs('2026-12-07T10:20:00'));
    expect(params).toMatchObject({ interval: 'day', chatConfiguration: 'hr-robot' });
    expect(dayjs(params.createdFrom).valueOf()).toBe(dayjs('2026-12-01T00:00:00').valueOf());
    expect(dayjs(params.createdTo).valueOf()).toBe(dayjs('2026-12-08T00:00:00').valueOf());
  });

  it('keeps the period and configuration in the URL, dropping unknown periods', () => {
    expect(parseFilters(OVERVIEW_FILTER_SPEC, new URLSearchParams('range=7d&chatConfiguration=hr-robot'))).toEqual({ range: '7d', chatConfiguration: 'hr-robot' });
    expect(parseFilters(OVERVIEW_FILTER_SPEC, new URLSearchParams('range=30d'))).toEqual({});
  });
});

describe('overview page', () => {
  it('shows the totals as text, the lost answers, the quota against its limit and the pause', async () => {
    const page = renderOverview('/?range=7d');
    expect(await screen.findByText('Calls whose answer was lost')).toBeInTheDocument();
    await screen.findByText('9 / 10 (90%)');
    const sent = page.api.lastRequest('/v1/stats/sends')!.url.searchParams;
    expect(sent.get('interval')).toBe('day');
    expect(sent.get('timeZone')).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(screen.getByText('340')).toBeInTheDocument();
    expect(screen.getByText('300')).toBeInTheDocument();
    expect(screen.getByText('20 still pending')).toBeInTheDocument();
    expect(screen.getByText('Near the limit')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Deliveries through hr-robot are paused');
    expect(screen.getByRole('img', { name: /Share of each configuration's monthly DingTalk quota used/ })).toBeInTheDocument();
  });

  it("a sender's overview asks only for the sends it may see, not the usage", async () => {
    const page = renderOverview('/', 'sender');
    await screen.findByText('Calls whose answer was lost');
    await waitFor(() => expect(page.api.lastRequest('/v1/stats/sends')).toBeDefined());
    expect(page.api.lastRequest('/v1/usage')).toBeUndefined();
    expect(screen.queryByText(/DingTalk quota/)).not.toBeInTheDocument();
  });
});
