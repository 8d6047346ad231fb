import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { App as AntdApp, ConfigProvider, Result, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { type ReactNode, Suspense, useEffect, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import type { i18n as I18n } from 'i18next';
import { createConsoleQueryClient } from '../api/query-client';
import { keyStorage } from '../auth/key-storage';
import { isKeyRejected, openSession, SessionProvider, type Session, type SignOutReason, useSessionState } from '../auth/session.context';
import { SignInPage } from '../auth/sign-in.page';
import { ApiErrorAlert } from '../components/api-error.alert';
import { ConsoleLayout } from './console.layout';
import { ROUTES } from './routes';

export const CONSOLE_BASE = '/console';

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
                    <Route path="*" element={<SignedInConsole />} />
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
    return <Result status="warning" title={t('restoreFailed')} extra={<ApiErrorAlert error={restore.error} />} />;
  }
  return <Spin fullscreen description={restore.failureCount > 0 ? t('errors.unreachable') : t('loading')} />;
}

function SignedInConsole() {
  const { session } = useSessionState();
  const location = useLocation();
  const { t } = useTranslation('common');
  if (!session) {
    const next = location.pathname === '/' ? '' : `?next=${encodeURIComponent(location.pathname + location.search)}`;
    return <Navigate to={`/sign-in${next}`} replace />;
  }
  return (
    <ConsoleLayout>
      <Suspense fallback={<Spin description={t('loading')}><div style={{ minHeight: 200 }} /></Spin>}>
        <Routes>
          {/* Every page renders whatever the role: the menu leaves out what the key may not use, and a page opened
              anyway shows the API's 403 with its request id, so the API stays the one place that decides. */}
          {ROUTES.map(({ path, Page }) => (
            <Route key={path} path={path} element={<Page />} />
          ))}
          <Route path="*" element={<Result status="404" title="404" subTitle={t('pageNotFound')} />} />
        </Routes>
      </Suspense>
    </ConsoleLayout>
  );
}
