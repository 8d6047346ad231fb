import { type ApiKeyResponse, DingrelayClient } from '@dingrelay/contracts/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { configure, fireEvent, render, screen } from '@testing-library/react';
import { App as AntdApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import { type ReactNode, useEffect } from 'react';
import { I18nextProvider } from 'react-i18next';
import { type Location, MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { permissionsOf } from '../auth/permissions';
import { SessionProvider } from '../auth/session.context';
import { createTestI18n } from './test-i18n';
import type { Language } from '../i18n/languages';

// Pages wait for their answers through TanStack Query and antd's rendering, which on a busy machine takes seconds.
configure({ asyncUtilTimeout: 15_000 });

/** antd renders slowly in jsdom, and the machine the tests share may be busy: the heaviest page tests get two minutes. */
export const PAGE_TEST_TIMEOUT_MS = 120_000;

/** One request the console made, as the fake API saw it. */
export interface SeenRequest {
  method: string;
  url: URL;
  /** `url.pathname`, the key answers are looked up by. */
  path: string;
  /** The JSON body sent, if any. */
  body: unknown;
}

/** An HTTP answer of the fake API. */
export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The fake API's answers: by path, or a function of the request; no answer is a 404. */
export type Answers = Record<string, FakeAnswer> | ((request: SeenRequest) => FakeAnswer | undefined);

export function ok(body: unknown, status = 200): FakeAnswer {
  return { status, body };
}

/** An error as dingrelay answers it (`ProblemResponse`). */
export function apiError(status: number, code: string, message: string, details: { field: string; message: string }[] = [], requestId = 'req-test-0001'): FakeAnswer {
  return { status, body: { status, code, message, details, requestId } };
}

/** The API key a test signs in with (or lists): a sender's scope defaults to `default`. */
export function keyOf(role: ApiKeyResponse['role'], chatConfigurations = role === 'sender' ? ['default'] : null): ApiKeyResponse {
  return {
    id: `00000000-0000-4000-8000-00000000000${role === 'admin' ? 1 : role === 'auditor' ? 2 : 3}`,
    name: `${role}-key`,
    role,
    chatConfigurations,
    prefix: 'drk_0123456789ab_',
    createdAt: '2026-12-01T00:00:00.000Z',
    createdBy: 'system:cli',
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
  };
}

/**
 * Renders `routes` at `path` as the console renders them (query cache without retries, i18n, antd without motion, router,
 * a session signed in with a key of `role`), talking to a fake dingrelay through the real `DingrelayClient`: only
 * `fetch` is replaced, so the query the page sends, the client and the rendering are what the test exercises.
 */
export function renderConsolePage(options: {
  path?: string;
  /** Route path → element, e.g. `{ '/audit': <AuditLogPage /> }`; `'*'` renders a piece of a page at any URL. */
  routes: Record<string, ReactNode>;
  answers?: Answers;
  role?: ApiKeyResponse['role'];
  chatConfigurations?: string[] | null;
  language?: Language;
}) {
  const api = fakeApi(options.answers ?? {});
  const identity = keyOf(options.role ?? 'admin', options.chatConfigurations);
  // As the console's own client (createConsoleClient): no retries inside the client; TanStack Query decides.
  const client = new DingrelayClient({ baseUrl: 'http://dingrelay.test', apiKey: 'drk_0123456789ab_test', fetch: api.fetch, retry: false });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const location: { current?: Location } = {};
  const view = render(
    <QueryClientProvider client={queryClient}>
      <I18nextProvider i18n={createTestI18n(options.language ?? 'en-US')}>
        {/* antd's own texts stay English, as the specs were written; no animations: dialogs and messages come and go at once. */}
        <ConfigProvider locale={enUS} theme={{ token: { motion: false } }}>
          <AntdApp>
            <MemoryRouter initialEntries={[options.path ?? '/']}>
              <SessionProvider initial={{ client, identity, permissions: permissionsOf(identity) }}>
                <LocationProbe onLocation={(current) => (location.current = current)} />
                <Routes>
                  {Object.entries(options.routes).map(([path, element]) => (
                    <Route key={path} path={path} element={element} />
                  ))}
                </Routes>
              </SessionProvider>
            </MemoryRouter>
          </AntdApp>
        </ConfigProvider>
      </I18nextProvider>
    </QueryClientProvider>,
  );
  return {
    ...view,
    api,
    queryClient,
    /** The router's current location, e.g. after the page wrote its filters to the URL. */
    location: () => location.current!,
  };
}

/** `fetch` answering from `answers`, recording every request. */
function fakeApi(answers: Answers) {
  const requests: SeenRequest[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(String(input));
    const request: SeenRequest = { method: init?.method ?? 'GET', url, path: url.pathname, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined };
    requests.push(request);
    const answer = (typeof answers === 'function' ? answers(request) : answers[request.path]) ?? apiError(404, 'NOT_FOUND', `no fake answer for ${request.method} ${request.path}`);
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json', ...answer.headers },
    });
  };
  return {
    fetch,
    /** Every request the console made, in order. */
    requests,
    /** The last request to `path`, for asserting the query the page sent. */
    lastRequest: (path: string) => requests.filter((request) => request.path === path).at(-1),
  };
}

function LocationProbe({ onLocation }: { onLocation: (location: Location) => void }) {
  const location = useLocation();
  useEffect(() => {
    onLocation(location);
  }, [location, onLocation]);
  return null;
}

/** Typing key by key through antd in jsdom is slow; a change event is what each keystroke ends in. */
export function typeInto(label: string, value: string, container: Pick<typeof screen, 'getByLabelText'> = screen) {
  fireEvent.change(container.getByLabelText(label), { target: { value } });
}

/** The form item (label, field and its messages) that holds the field labelled `label`. */
export function formItemOf(label: string, container: Pick<typeof screen, 'getByLabelText'> = screen): HTMLElement {
  return container.getByLabelText(label).closest('.ant-form-item') as HTMLElement;
}
