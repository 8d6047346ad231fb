import { Result, Spin } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';
import { ConsoleLayout } from './console.layout';
import { ROUTES } from './routes';

/** Everything behind sign-in: the layout and the pages (app.tsx renders it only with a session). */
export default function SignedInConsole() {
  const { t } = useTranslation('common');
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
