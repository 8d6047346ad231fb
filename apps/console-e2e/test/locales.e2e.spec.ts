import { consolePages } from './support/console-page.js';
import { ConsoleStack } from './support/console-stack.js';

const START_MS = 240_000;
/** Each test opens every page of the console twice. */
const TEST_MS = 120_000;

/** An admin's menu in each language (nav.json): every page of the console. */
const MENU = {
  'zh-CN': ['概览', '发送记录', '用户消息', '导出', '审计日志', '收到的消息', '用量', '聊天配置', 'API 密钥'],
  'en-US': ['Overview', 'Send history', 'User messages', 'Export', 'Audit log', 'Inbound messages', 'Usage', 'Chat configurations', 'API keys'],
} as const;

/**
 * Both languages render every page with no missing text: a key missing from a locale file logs a console error
 * (apps/console/src/i18n/i18n.ts), which fails the test; so does any other error a page logs.
 */
describe('console languages', () => {
  let stack: ConsoleStack;
  const tab = consolePages(() => stack, { suite: 'locales', locale: 'zh-CN' });

  beforeAll(async () => {
    stack = await ConsoleStack.start({ suite: 'locales' });
    // Something to show on the pages that list sends, recipients, audit events and usage.
    const send = await stack.client('admin').createSend({ chatConfiguration: stack.configuration, userIds: stack.users(3), msgKey: 'sampleText', msgParam: { content: '语言测试' } });
    await stack.client('admin').getSend(send.id);
  }, START_MS);

  afterAll(async () => {
    await stack?.close();
  });

  /** Opens every page from the menu and sorts their titles by language (a page without a title counts as neither). */
  const titlesOfEveryPage = async (entries: readonly string[]) => {
    const titles = { Chinese: [] as string[], English: [] as string[] };
    for (const entry of entries) {
      await tab().openFromMenu(entry);
      const heading = tab().page.getByRole('heading', { level: 3 }).first();
      if ((await heading.count()) === 0) continue;
      const title = await heading.innerText();
      titles[/[\u4e00-\u9fff]/.test(title) ? 'Chinese' : 'English'].push(title);
    }
    return titles;
  };

  it('a Chinese browser gets Chinese on every page, switches to English on every page, and the choice is remembered', async () => {
    const { page } = tab();
    await tab().goto('/');
    await page.getByRole('heading', { name: 'dingrelay 控制台' }).waitFor();
    expect(await tab().language()).toBe('zh-CN');
    await tab().signIn('admin', { navigate: false });
    expect(await page.getByLabel('当前登录').innerText()).toContain('管理员');
    expect(await tab().menuEntries()).toEqual(MENU['zh-CN']);
    await page.getByText('发送记录', { exact: true }).first().waitFor();
    const chinese = await titlesOfEveryPage(MENU['zh-CN']);
    expect(chinese.English).toEqual([]);
    expect(chinese.Chinese.length).toBe(MENU['zh-CN'].length);
    await tab().openFromMenu('发送记录');
    await page.getByRole('heading', { name: '发送记录' }).waitFor();
    await page.getByText('创建时间（Asia/Shanghai）').waitFor();

    await tab().chooseLanguage('English');
    await tab().menu.getByText('Send history', { exact: true }).waitFor();
    expect(await tab().menuEntries()).toEqual(MENU['en-US']);
    expect(await page.getByLabel('Signed in as').innerText()).toContain('Admin');
    const english = await titlesOfEveryPage(MENU['en-US']);
    expect(english.Chinese).toEqual([]);
    expect(english.English.length).toBe(chinese.Chinese.length);

    await page.reload();
    await tab().menu.getByText('Send history', { exact: true }).waitFor();
    expect(await tab().language()).toBe('en-US');
    const chrome = `${await tab().menu.innerText()}\n${await page.getByLabel('Signed in as').innerText()}`;
    expect(chrome).not.toMatch(/[\u4e00-\u9fff]/);
  }, TEST_MS);

  it('an English browser gets English; switching to 中文 on the sign-in page carries into the console', async () => {
    const { page } = await tab.reopen('en-US');
    await tab().goto('/');
    await page.getByRole('heading', { name: 'dingrelay console' }).waitFor();
    expect(await tab().language()).toBe('en-US');

    await tab().chooseLanguage('中文');
    await page.getByRole('heading', { name: 'dingrelay 控制台' }).waitFor();
    await tab().signIn('auditor', { navigate: false });
    expect(await page.getByLabel('当前登录').innerText()).toContain('审计员');
    expect(await tab().menuEntries()).toEqual(MENU['zh-CN'].filter((entry) => entry !== 'API 密钥'));
    await tab().openFromMenu('发送记录');
    expect(new URL(page.url()).pathname).toBe('/console/sends');
  }, TEST_MS);
});
