import { createI18n } from './i18n';

/** The running console's i18n: no strings up front, each locale file loaded when a namespace is first needed. */
function initialized(i18n: ReturnType<typeof createI18n>): Promise<void> {
  return new Promise((resolve) => (i18n.isInitialized ? resolve() : i18n.on('initialized', () => resolve())));
}

describe('locale files loaded on demand', () => {
  it('loads the first pages’ namespaces of the chosen language only', async () => {
    const i18n = createI18n({ language: 'zh-CN' });
    await initialized(i18n);
    expect(i18n.t('signin:title')).toBe('dingrelay 控制台');
    expect(i18n.hasResourceBundle('zh-CN', 'signin')).toBe(true);
    expect(i18n.hasResourceBundle('en-US', 'signin')).toBe(false);
    expect(i18n.hasResourceBundle('zh-CN', 'overview')).toBe(false);
  });

  it('loads a page’s namespace when asked, and the other language’s on a switch', async () => {
    const i18n = createI18n({ language: 'zh-CN' });
    await initialized(i18n);
    await i18n.loadNamespaces('overview');
    expect(i18n.t('overview:title')).toBe('概览');
    await i18n.changeLanguage('en-US');
    expect(i18n.hasResourceBundle('en-US', 'overview')).toBe(true);
    expect(i18n.t('overview:title')).toBe('Overview');
  });

  it('reports a namespace that has no file', async () => {
    const i18n = createI18n({ language: 'en-US' });
    await initialized(i18n);
    const failures: string[] = [];
    i18n.services.backendConnector.on('failedLoading', (language: string, namespace: string) => failures.push(`${language}/${namespace}`));
    await i18n.loadNamespaces('no-such-page');
    expect(failures).toEqual(['en-US/no-such-page']);
    expect(i18n.hasResourceBundle('en-US', 'no-such-page')).toBe(false);
  });
});
