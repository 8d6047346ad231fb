import type { BackendModule } from 'i18next';

/**
 * The locale files as an i18next backend: each `locales/<language>/<namespace>.json` is its own small chunk, fetched
 * when a page first uses its namespace in the current language, so nobody downloads the strings of pages they do not
 * open or of the language they do not read.
 */
const files = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json');

export const localeFilesBackend: BackendModule = {
  type: 'backend',
  init() {},
  read(language, namespace, callback) {
    const load = files[`./locales/${language}/${namespace}.json`];
    if (!load) {
      callback(new Error(`There is no locale file ${language}/${namespace}.json`), false);
      return;
    }
    load().then(
      (file) => callback(null, file.default),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), false),
    );
  },
};
