import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConsoleApp } from './app/app';
import { createI18n } from './i18n/i18n';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConsoleApp i18n={createI18n()} />
  </StrictMode>,
);
