import { type ApiKeyResponse, DingrelayClient } from '@dingrelay/contracts/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { App as AntdApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import { type ReactNode, useEffect } from 'react';
import { I18nextProvider } from 'react-i18next';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { permissionsOf } from '../auth/permissions';
import { SessionProvider } from '../auth/session.context';
import { createI18n } from '../i18n/i18n';
import type { Language } from '../i18n/languages';

// antd's tables and selects measure themselves; jsdom has no layout, so nothing is ever resized.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

/** A JSON answer of the fake API, or a function of the request's URL giving one. */
type Answer = unknown | ((url: URL) => unknown);

export interface FakeApi {
  /** Every request the page made, in order. */
  requests: URL[];
  /** The last request to `pathname`, for asserting the query the page sent. */
  lastRequest(pathname: string): URL | undefined;
}

/**
 * A page rendered as the console renders it (query cache, i18n, antd, router, a signed-in session), talking to a fake
 * dingrelay through the real `DingrelayClient`: only the network is replaced, so the page's query parameters, the
 * client and the rendering are what the test exercises. `answers` maps an API path to its JSON answer; an
 * `{ status, body }` answer is an error response.
 */
export function renderConsolePage(options: {
  path: string;
  routePath: string;
  page: ReactNode;
  answers: Record<string, Answer>;
  role?: ApiKeyResponse['role'];
  language?: Language;
}) {
  const requests: URL[] = [];
  const fakeFetch = async (input: RequestInfo | URL): Promise<Response> => {
    const url = new URL(String(input));
    requests.push(url);
    const answer = options.answers[url.pathname];
    if (answer === undefined) return json({ status: 404, code: 'NOT_FOUND', message: `no fake answer for ${url.pathname}`, details: [], requestId: 'test' }, 404);
    const body = typeof answer === 'function' ? (answer as (url: URL) => unknown)(url) : answer;
    if (isErrorAnswer(body)) return json(body.body, body.status);
    return json(body, 200);
  };
  const client = new DingrelayClient({ baseUrl: 'http://dingrelay.test', apiKey: 'drk_test', fetch: fakeFetch as typeof fetch });
  const role = options.role ?? 'admin';
  const identity: ApiKeyResponse = {
    id: '00000000-0000-4000-8000-000000000001',
    name: `test-${role}`,
    role,
    chatConfigurations: role === 'sender' ? ['default'] : null,
    prefix: 'drk_000000000000_',
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'test',
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
  };
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const location: { current?: ReturnType<typeof useLocation> } = {};
  const utils = render(
    <QueryClientProvider client={queryClient}>
      <I18nextProvider i18n={createI18n(options.language ?? 'en-US')}>
        <ConfigProvider locale={enUS}>
          <AntdApp>
            <MemoryRouter initialEntries={[options.path]}>
              <SessionProvider initial={{ client, identity, permissions: permissionsOf(identity) }}>
                <LocationProbe onLocation={(current) => (location.current = current)} />
                <Routes>
                  <Route path={options.routePath} element={options.page} />
                </Routes>
              </SessionProvider>
            </MemoryRouter>
          </AntdApp>
        </ConfigProvider>
      </I18nextProvider>
    </QueryClientProvider>,
  );
  const api: FakeApi = { requests, lastRequest: (pathname) => requests.filter((url) => url.pathname === pathname).at(-1) };
  return {
    ...utils,
    api,
    /** The router's current location (after the page navigated, e.g. on a filter change). */
    location: () => location.current!,
  };
}

function LocationProbe({ onLocation }: { onLocation: (location: ReturnType<typeof useLocation>) => void }) {
  const location = useLocation();
  useEffect(() => {
    onLocation(location);
  }, [location, onLocation]);
  return null;
}

export function errorAnswer(status: number, body: Record<string, unknown>) {
  return { __error: true as const, status, body: { status, details: [], requestId: 'req-test', ...body } };
}

function isErrorAnswer(value: unknown): value is { status: number; body: unknown } {
  return typeof value === 'object' && value !== null && '__error' in value;
}

function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
