import { MASKED_SECRET } from '@dingrelay/contracts/client';
import { consolePages } from './support/console-page.js';
import { ConsoleStack } from './support/console-stack.js';

const START_MS = 240_000;
const TEST_MS = 90_000;

/** The little of the browser's clipboard the test reads (this Node project compiles without the DOM library). */
interface WithClipboard {
  navigator: { clipboard: { readText(): Promise<string> } };
}

describe('console chat configurations', () => {
  let stack: ConsoleStack;
  const tab = consolePages(() => stack, { suite: 'configurations' });

  beforeAll(async () => {
    stack = await ConsoleStack.start({ suite: 'configurations' });
  }, START_MS);

  afterAll(async () => {
    await stack?.close();
  });

  it("an admin creates a configuration: its AesKey and callback token show once, to copy, and masked ever after", async () => {
    const { page, context } = tab();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.api.url });
    const name = `console-created-${stack.prefix.slice(-8)}`;
    // The simulator's app, so that the page's look at the robot's quick entries gets an answer.
    const clientSecret = stack.app.appSecret;

    await tab().signIn('admin');
    await tab().openFromMenu('Chat configurations');
    await tab().button('Create configuration').click();
    await page.getByRole('heading', { name: 'New chat configuration' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Client ID (AppKey)').fill(stack.app.appKey);
    await page.getByLabel('Client secret (AppSecret)').fill(clientSecret);
    await page.getByLabel('Robot code').fill(stack.app.robotCode);
    await tab().button('Create').click();

    // Once: in a dialog that only a deliberate click closes, each value whole and with its copy button.
    const dialog = page.getByRole('dialog', { name: `${name} created: save its callback settings now` });
    await dialog.waitFor();
    const shown = async (label: string) => (await dialog.getByRole('row', { name: new RegExp(`^${label}`) }).getByRole('cell').innerText()).trim();
    const aesKey = await shown('AesKey');
    const callbackToken = await shown('Callback token');
    const callbackUrl = await shown('Callback URL');
    expect(aesKey).toMatch(/^[A-Za-z0-9]{43}$/);
    expect(callbackToken).toMatch(/^\S{8,}$/);
    expect(callbackToken).not.toBe(MASKED_SECRET);
    expect(callbackUrl).toContain(encodeURIComponent(name));
    await dialog.getByRole('row', { name: /^AesKey/ }).getByRole('button', { name: 'Copy' }).click();
    expect(await page.evaluate(() => (globalThis as unknown as WithClipboard).navigator.clipboard.readText())).toBe(aesKey);
    // Not closed by Esc (a closing dialog would be gone well within half a second).
    await page.keyboard.press('Escape');
    await page.waitForTimeout(500);
    expect(await dialog.isVisible()).toBe(true);
    await tab().button('I have saved them').click();

    // Afterwards: the configuration's page, and anything reloaded, shows them masked; nothing on it shows them whole.
    await page.waitForURL(`**/console/configurations/${name}`);
    await page.getByRole('heading', { name: new RegExp(`^${name}`) }).waitFor();
    await tab().settle();
    for (const attempt of ['after create', 'after reload']) {
      const body = await page.locator('body').innerText();
      expect([attempt, body.includes(aesKey), body.includes(callbackToken), body.includes(clientSecret)]).toEqual([attempt, false, false, false]);
      expect(body).toMatch(new RegExp(`AesKey \\(EncodingAESKey\\)\\s+${escape(MASKED_SECRET)}`));
      expect(body).toMatch(new RegExp(`Callback token\\s+${escape(MASKED_SECRET)}`));
      expect(body).toMatch(new RegExp(`Client secret \\(AppSecret\\)\\s+${escape(MASKED_SECRET)}`));
      await page.reload();
      await page.getByRole('heading', { name: new RegExp(`^${name}`) }).waitFor();
      await tab().settle();
    }
    const stored = await stack.client('admin').getChatConfiguration(name);
    expect([stored.outputs.aesKey, stored.outputs.callbackToken, stored.configuration.clientSecret]).toEqual([MASKED_SECRET, MASKED_SECRET, MASKED_SECRET]);

    // Going back (the create page was replaced by the configuration's) and forth brings the values back nowhere.
    await page.goBack();
    await tab().settle();
    expect(await page.locator('body').innerText()).not.toContain(aesKey);
    await page.goForward();
    await page.getByRole('heading', { name: new RegExp(`^${name}`) }).waitFor();
    await tab().settle();
    expect(await page.locator('body').innerText()).not.toContain(aesKey);
    await stack.client('admin').deleteChatConfiguration(name);
  }, TEST_MS);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
