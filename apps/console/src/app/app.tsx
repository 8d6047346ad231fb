import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { App as AntdApp, ConfigProvider, Flex, Spin, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, type ReactNode, Suspense, useEffect, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import type { i18n as I18n } from 'i18next';
import { createConsoleQueryClient } from '../api/query-client';
import { keyStorage } from '../auth/key-storage';
import { isKeyRejected, openSession, SessionProvider, type Session, type SignOutReason, useSessionState } from '../auth/session.context';
import { SignInPage } from '../auth/sign-in.page';
import { ApiErrorAlert } from '../components/api-error.alert';

export const CONSOLE_BASE = '/console';

// The signed-in console (menu, header, every page's route) loads after sign-in, so the sign-in page, the first page
// anyone opens, carries only what it shows.
const SignedInConsole = lazy(() => import('./signed-in.console'));

/** The whole console: query cache, language, Ant Design's locale and theme, the session, and the pages. */
export function ConsoleApp({ i18n }: { i18n: I18n }) {
  const [queryClient] = useState(createConsoleQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nextProvider i18n={i18n}>
        <LocalizedAntd>
          <BrowserRouter basename={CONSOLE_BASE}>
            <RestoredSession>
              {(initial, reason) => (
                <SessionProvider initial={initial} initialReason={reason}>
                  <Routes>
                    <Route path="/sign-in" element={<SignInPage />} />
                    <Route path="*" element={<SessionRequired />} />
                  </Routes>
                </SessionProvider>
              )}
            </RestoredSession>
          </BrowserRouter>
        </LocalizedAntd>
      </I18nextProvider>
    </QueryClientProvider>
  );
}

function LocalizedAntd({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const chinese = i18n.language === 'zh-CN';
  useEffect(() => {
    dayjs.locale(chinese ? 'zh-cn' : 'en');
  }, [chinese]);
  return (
    <ConfigProvider locale={chinese ? zhCN : enUS} theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}>
      <AntdApp>{children}</AntdApp>
    </ConfigProvider>
  );
}

/** A key kept from earlier in this tab is checked with the API once before anything shows. */
function RestoredSession({ children }: { children: (initial: Session | null, reason?: SignOutReason) => ReactNode }) {
  const { t } = useTranslation('common');
  const [storedKey] = useState(() => keyStorage.read());
  const restore = useQuery({
    queryKey: ['session-restore'],
    queryFn: () => openSession(storedKey!),
    enabled: storedKey !== null,
    staleTime: Infinity,
    gcTime: 0,
  });
  if (storedKey === null) return children(null);
  if (restore.isSuccess) return children(restore.data);
  if (restore.isError) {
    if (isKeyRejected(restore.error)) {
      keyStorage.forget();
      // Revoked or expired since the last page load: the sign-in page says so, as it does when it happens in use.
      return children(null, 'key-rejected');
    }
    // Not antd's Result: its illustrations would ride along on the first page for a screen hardly anyone sees.
    return (
      <Flex vertical align="center" gap="middle" style={{ padding: '64px 24px' }}>
        <Typography.Title level={4}>{t('restoreFailed')}</Typography.Title>
        <ApiErrorAlert error={restore.error} />
      </Flex>
    );
  }
  return <Spin fullscreen description={restore.failureCount > 0 ? t('errors.unreachable') : t('loading')} />;
}

/** Without a session, the sign-in page (which comes back here afterwards); with one, the console. */
function SessionRequired() {
  const { session } = useSessionState();
  const location = useLocation();
  if (!session) {
    const next = location.pathname === '/' ? '' : `?next=${encodeURIComponent(location.pathname + location.search)}`;
    return <Navigate to={`/sign-in${next}`} replace />;
  }
  return (
    <Suspense fallback={<Spin fullscreen />}>
      <SignedInConsole />
    </Suspense>
  );
}
