import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { type Language, initialLanguage, LANGUAGES, rememberLanguage } from './languages';
import { NAMESPACES, resources } from './resources';

/** One i18next instance for the app (tests make their own with the same resources). */
export function createI18n(language: Language = initialLanguage()) {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    ns: NAMESPACES,
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
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
