import i18next, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { type Language, initialLanguage, LANGUAGES, rememberLanguage } from './languages';
import { localeFilesBackend } from './locale-files.backend';

/** What every screen needs before it draws: shared strings, the menu, and the sign-in page (the first page). */
const FIRST_NAMESPACES = ['common', 'nav', 'signin'];

/**
 * One i18next instance for the app. Locale files load per language and namespace as pages need them (a page waits
 * in its Suspense boundary); tests pass every file as `resources` (src/test/test-i18n.ts) and get it synchronously.
 */
export function createI18n(options: { language?: Language; resources?: Resource } = {}) {
  const language = options.language ?? initialLanguage();
  const instance = i18next.createInstance();
  if (!options.resources) instance.use(localeFilesBackend);
  void instance.use(initReactI18next).init({
    ...(options.resources ? { resources: options.resources, initAsync: false } : {}),
    lng: language,
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    ns: options.resources ? Object.keys(options.resources[language] ?? {}) : FIRST_NAMESPACES,
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
    // A key missing from a locale file shows up as a console error, which the browser tests fail on.
    saveMissing: true,
    missingKeyHandler: (languages, namespace, key) => {
      console.error(`Missing translation ${namespace}:${key} (${languages.join(', ')})`);
    },
  });
  instance.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });
  document.documentElement.lang = language;
  return instance;
}

export function changeLanguage(instance: typeof i18next, language: Language): void {
  rememberLanguage(language);
  void instance.changeLanguage(language);
}
