import type { Language } from '../i18n/languages';
import { createI18n } from '../i18n/i18n';
import { resources } from '../i18n/resources';

/** The console's i18n with every locale file bundled in, ready at once: what component tests render with. */
export function createTestI18n(language: Language) {
  return createI18n({ language, resources });
}
