import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { ConsoleApp } from './app/app';
import { createI18n } from './i18n/i18n';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {/* Until the first locale files arrive (a few kB, in parallel with the page's other chunks). */}
    <Suspense fallback={null}>
      <ConsoleApp i18n={createI18n()} />
    </Suspense>
  </StrictMode>,
);
