import { type ApiKeyResponse, DingrelayClient } from '@dingrelay/contracts/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { configure, fireEvent, render, screen } from '@testing-library/react';
import { App as AntdApp, ConfigProvider } from 'antd';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { MemoryRouter, Route, Routes } from 'react-router';
import { permissionsOf } from '../../auth/permissions';
import { SessionProvider } from '../../auth/session.context';
import { createI18n } from '../../i18n/i18n';

// antd's tables and overflow lists measure themselves with ResizeObserver, which jsdom lacks.
if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}

// Pages wait for their answers through TanStack Query and antd's rendering, which on a busy machine takes seconds.
configure({ asyncUtilTimeout: 15_000 });

/** One request the console made, as the fake API saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A stand-in for dingrelay's HTTP API at the network edge: the real DingrelayClient, TanStack Query and pages run,
 * only `fetch` answers from `answer`. Every request is recorded in `requests`.
 */
export function fakeApi(answer: (request: SeenRequest) => FakeAnswer) {
  const requests: SeenRequest[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(String(input));
    const request: SeenRequest = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(request);
    const { status, body, headers } = answer(request);
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  };
  return { fetch, requests };
}

export function apiError(status: number, code: string, message: string, details: { field: string; message: string }[] = []): FakeAnswer {
  return { status, body: { status, code, message, details, requestId: 'req-test-0001' } };
}

export function keyOf(role: ApiKeyResponse['role']): ApiKeyResponse {
  return {
    id: `00000000-0000-4000-8000-00000000000${role === 'admin' ? 1 : role === 'auditor' ? 2 : 3}`,
    name: `${role}-key`,
    role,
    chatConfigurations: role === 'sender' ? ['default'] : null,
    prefix: 'drk_0123456789ab_',
    createdAt: '2026-12-01T00:00:00.000Z',
    createdBy: 'system:cli',
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
  };
}

/** antd renders slowly in jsdom, and the machine the tests share may be busy: page tests get two minutes each. */
export const PAGE_TEST_TIMEOUT_MS = 120_000;

/** Renders the console's pages at `path` for a key of `role`, in English, against the fake API. */
export function renderConsole(options: { role: ApiKeyResponse['role']; path: string; routes: { path: string; element: ReactNode }[]; fetch: typeof globalThis.fetch }) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const identity = keyOf(options.role);
  const client = new DingrelayClient({ baseUrl: 'http://dingrelay.test', apiKey: 'drk_0123456789ab_test', fetch: options.fetch });
  const i18n = createI18n('en-US');
  const view = render(
    <QueryClientProvider client={queryClient}>
      <I18nextProvider i18n={i18n}>
        {/* No animations: dialogs and messages appear and leave at once. */}
        <ConfigProvider theme={{ token: { motion: false } }}>
          <AntdApp>
            <MemoryRouter initialEntries={[options.path]}>
              <SessionProvider initial={{ client, identity, permissions: permissionsOf(identity) }}>
                <Routes>
                  {options.routes.map((route) => (
                    <Route key={route.path} path={route.path} element={route.element} />
                  ))}
                </Routes>
              </SessionProvider>
            </MemoryRouter>
          </AntdApp>
        </ConfigProvider>
      </I18nextProvider>
    </QueryClientProvider>,
  );
  return { ...view, queryClient };
}

/** Typing key by key through antd in jsdom is slow; a change event is what each keystroke ends in. */
export function typeInto(label: string, value: string, container: Pick<typeof screen, 'getByLabelText'> = screen) {
  fireEvent.change(container.getByLabelText(label), { target: { value } });
}

/** The form item (label, field and its messages) that holds the field labelled `label`. */
export function formItemOf(label: string, container: Pick<typeof screen, 'getByLabelText'> = screen): HTMLElement {
  return container.getByLabelText(label).closest('.ant-form-item') as HTMLElement;
}
