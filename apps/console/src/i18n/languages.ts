/** The console's languages: Chinese first for the auditors it serves, English for everyone else. */
export const LANGUAGES = ['zh-CN', 'en-US'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'dingrelay.console.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** zh-CN for any `zh*` browser language, en-US otherwise. */
export function languageForBrowser(browserLanguages: readonly string[]): Language {
  const first = browserLanguages[0]?.toLowerCase() ?? '';
  return first.startsWith('zh') ? 'zh-CN' : 'en-US';
}

/** The language the user chose before (remembered across sessions), else the browser's. */
export function initialLanguage(storage: Pick<Storage, 'getItem'> = localStorage, browser: readonly string[] = navigator.languages): Language {
  const remembered = storage.getItem(STORAGE_KEY);
  return isLanguage(remembered) ? remembered : languageForBrowser(browser);
}

/** The language is a preference, not a secret: localStorage keeps it across sessions (the API key never goes there). */
export function rememberLanguage(language: Language, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(STORAGE_KEY, language);
}
