import { type ApiKeyResponse, DingrelayClient } from '@dingrelay/contracts/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntdApp } from 'antd';
import { type ReactNode, useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { permissionsOf } from '../../auth/permissions';
import { SessionProvider } from '../../auth/session.context';
import { createI18n } from '../../i18n/i18n';
import type { Language } from '../../i18n/languages';

// antd's tables, selects and pickers observe their size; jsdom has no ResizeObserver.
if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}

/** For component tests: the console's real providers around a page piece, signed in with the given key. */
export function ConsoleTestWrapper({
  children,
  identity = { role: 'admin', chatConfigurations: null },
  language = 'en-US',
  url = '/',
  path = '*',
}: {
  children: ReactNode;
  identity?: Pick<ApiKeyResponse, 'role' | 'chatConfigurations'>;
  language?: Language;
  url?: string;
  path?: string;
}) {
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: false } } }));
  const [i18n] = useState(() => createI18n(language));
  const [session] = useState(() => ({
    // Nothing answers on this address: tests render what they are given and assert on the markup.
    client: new DingrelayClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'drk_test' }),
    identity: { ...identity, id: 'key-1', name: 'tester' } as ApiKeyResponse,
    permissions: permissionsOf(identity),
  }));
  return (
    <QueryClientProvider client={queryClient}>
      <I18nextProvider i18n={i18n}>
        <AntdApp>
          <MemoryRouter initialEntries={[url]}>
            <SessionProvider initial={session}>
              <Routes>
                <Route path={path} element={children} />
              </Routes>
            </SessionProvider>
          </MemoryRouter>
        </AntdApp>
      </I18nextProvider>
    </QueryClientProvider>
  );
}

/** Shows the router's current search string, so a test can read what a component wrote to the URL. */
export function CurrentSearch() {
  const location = useLocation();
  return <output data-testid="current-search">{location.search}</output>;
}
