import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@dingrelay/testing';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { ConsoleStack, Role } from './console-stack.js';

/** The little of the browser's globals that code run in the page uses (this Node project compiles without the DOM library). */
interface InPage {
  document: { documentElement: { lang: string } };
  sessionStorage: { length: number; key(index: number): string | null; getItem(key: string): string | null };
  localStorage: InPage['sessionStorage'];
  addEventListener(type: 'unhandledrejection', listener: (event: { reason: unknown }) => void): void;
}

interface InPageButton {
  innerText: string;
  disabled?: boolean;
  getAttribute(name: string): string | null;
}

/** Every test's last screen, `<suite>/<test>.png`: CI keeps the folder as its artifact. */
export const SCREENSHOTS = join(REPO_ROOT, 'apps/console-e2e/screenshots');

export type Locale = 'en-US' | 'zh-CN';

/** How long a locator waits for the page: API answers and lazy page chunks on a busy two-core machine. */
const WAIT_MS = 15_000;

/** What Chromium logs for an HTTP error answer; the test decides whether that status is one it provoked. */
const HTTP_ERROR = /^Failed to load resource: the server responded with a status of (\d{3})/;

/** The sign-in form's texts in both languages (apps/console/src/i18n/locales/*\/signin.json). */
const API_KEY_FIELD = /^(API key|API 密钥)$/;
/**
 * antd puts a space between the two characters of a Chinese button label (登 录), and a button that was loading may
 * keep its hidden spinner (named "loading") a while after: the name ends with the label.
 */
const SIGN_IN_BUTTON = /(^|\s)(Sign in|登\s*录)$/;

/**
 * One browser tab on the console, fresh for each test (its own context: no storage, cookies or cache shared with
 * other tests), with a recorder of everything that would be a bug a person might not notice: console errors (a
 * missing translation logs one), uncaught exceptions and unhandled promise rejections in the page, and HTTP error
 * answers the test did not provoke on purpose.
 */
export class ConsolePage {
  /** Every URL the tab navigated to or requested, for checks that a secret never travels in one. */
  readonly urls: string[] = [];
  private readonly problems: string[] = [];
  private readonly expectedStatuses = new Set<number>();
  private inFlight = 0;
  private lastNetworkActivity = Date.now();

  private constructor(
    readonly stack: ConsoleStack,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const http = HTTP_ERROR.exec(message.text());
      if (http && this.expectedStatuses.has(Number(http[1]))) return;
      const { url, lineNumber } = message.location();
      this.problems.push(`console.error: ${message.text()}${url ? ` (${url}:${lineNumber})` : ''}`);
    });
    page.on('pageerror', (error) => this.problems.push(`uncaught in page: ${error.stack ?? error.message}`));
    page.on('request', (request) => {
      this.urls.push(request.url());
      this.inFlight += 1;
      this.lastNetworkActivity = Date.now();
    });
    const settled = () => {
      this.inFlight = Math.max(0, this.inFlight - 1);
      this.lastNetworkActivity = Date.now();
    };
    page.on('requestfinished', settled);
    page.on('requestfailed', settled);
    page.on('framenavigated', (frame) => this.urls.push(frame.url()));
  }

  static async open(stack: ConsoleStack, locale: Locale): Promise<ConsolePage> {
    // A Chinese user's browser in China's time zone, so dates show as such a user reads them.
    const timezoneId = locale === 'zh-CN' ? 'Asia/Shanghai' : 'UTC';
    const context = await stack.browser.newContext({ locale, timezoneId, viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    context.setDefaultTimeout(WAIT_MS);
    // Chromium reports a rejection nobody handles only as a DevTools event: log it, so the recorder sees it as an error.
    await context.addInitScript(() => {
      (globalThis as unknown as InPage).addEventListener('unhandledrejection', (event) => {
        const reason = event.reason;
        console.error(`Unhandled promise rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
      });
    });
    return new ConsolePage(stack, context, await context.newPage());
  }

  /** HTTP error answers this test provokes on purpose (a wrong key's 401, an auditor's 403): not a problem. */
  expectHttpErrors(...statuses: number[]): void {
    for (const status of statuses) this.expectedStatuses.add(status);
  }

  /** What went wrong in the page so far. */
  get problemsSeen(): readonly string[] {
    return this.problems;
  }

  /**
   * Waits until the tab made no request for `quietMs` (the page's reads answered and its chunks loaded): what a
   * person waits for before reading a page that shows no spinner any more.
   */
  async settle(quietMs = 500, timeoutMs = WAIT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // Quiet from now on: a click's requests may not have started yet.
    this.lastNetworkActivity = Math.max(this.lastNetworkActivity, Date.now());
    while (this.inFlight > 0 || Date.now() - this.lastNetworkActivity < quietMs) {
      if (Date.now() > deadline) throw new Error(`the page still loads after ${timeoutMs} ms (${this.inFlight} request(s) in flight)`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async goto(path = '/'): Promise<void> {
    await this.page.goto(this.stack.consoleUrl(path));
  }

  /**
   * Opens `path` (unless `navigate` is false: the sign-in page is already showing), pastes the key of `who` (a role
   * or any key) into the API key field and signs in; with a role, waits until the header shows the key's name.
   */
  async signIn(who: Role | string, options: { path?: string; navigate?: boolean } = {}): Promise<void> {
    if (options.navigate !== false) await this.goto(options.path ?? '/');
    const issued = who === 'admin' || who === 'auditor' || who === 'sender' ? this.stack.keys[who] : undefined;
    await this.apiKeyField.fill(issued?.key ?? who);
    await this.signInButton.click();
    if (issued) await this.signedInAs(issued.name).waitFor();
  }

  /** The header's name of the signed-in key (pages may show the same name in their tables, e.g. as requester). */
  signedInAs(name: string): Locator {
    return this.page.getByTestId('identity-name').getByText(name, { exact: true });
  }

  get apiKeyField(): Locator {
    return this.page.getByLabel(API_KEY_FIELD);
  }

  get signInButton(): Locator {
    return this.page.getByRole('button', { name: SIGN_IN_BUTTON });
  }

  get menu(): Locator {
    return this.page.getByRole('navigation', { name: /^(Main menu|主菜单)$/ });
  }

  /** The side menu's entries, as read. */
  async menuEntries(): Promise<string[]> {
    await this.menu.getByRole('menuitem').first().waitFor();
    return (await this.menu.getByRole('menuitem').allInnerTexts()).map((text) => text.trim());
  }

  /**
   * The button labelled `label`: its accessible name ends with the label (antd names a button's icon too, e.g.
   * "plus Create configuration", and spaces two-character Chinese labels: 登 录).
   */
  button(label: string, scope: Locator | Page = this.page): Locator {
    const pattern = [...label].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(/^[\u4e00-\u9fff]{2}$/.test(label) ? '\\s*' : '');
    return scope.getByRole('button', { name: new RegExp(`(^|\\s)${pattern}$`) });
  }

  /**
   * Every visible button on the page with its name and whether it can be pressed, read at one instant (a page that
   * refreshes itself may replace its buttons between two reads).
   */
  buttons(): Promise<{ name: string; enabled: boolean }[]> {
    return this.page
      .getByRole('button')
      .filter({ visible: true })
      .evaluateAll((elements: unknown[]) =>
        (elements as InPageButton[]).map((button) => ({
          name: (button.getAttribute('aria-label') ?? button.innerText).trim(),
          enabled: !button.disabled && button.getAttribute('aria-disabled') !== 'true',
        })),
      );
  }

  /** The data rows of the table in `scope` (the page by default): rows with cells, not the header's. */
  tableRows(scope: Locator | Page = this.page): Locator {
    return scope.getByRole('row').filter({ has: this.page.getByRole('cell') });
  }

  /** The links of `rows`, as their addresses. */
  async linksIn(rows: Locator): Promise<(string | null)[]> {
    return Promise.all((await rows.getByRole('link').all()).map((link) => link.getAttribute('href')));
  }

  /**
   * Picks `option` in the drop-down list labelled `label` as a person does: in a list one can type in, types it and
   * presses Enter; otherwise opens the list and clicks the option shown (antd shows each with its text as title; the
   * list's accessible options are only the few around the active one).
   */
  async choose(label: string, option: string): Promise<void> {
    const box = this.page.getByRole('combobox', { name: label, exact: true });
    await box.click();
    if (await box.isEditable()) {
      await box.fill(option);
      await this.page.getByTitle(option, { exact: true }).filter({ visible: true }).last().waitFor();
      await box.press('Enter');
    } else {
      await this.page.getByTitle(option, { exact: true }).filter({ visible: true }).last().click();
    }
  }

  /** Picks a language in the language switch (the header's, or the sign-in page's) by its name. */
  async chooseLanguage(name: '中文' | 'English'): Promise<void> {
    await this.page.getByRole('radiogroup', { name: /^(Language|语言)$/ }).getByText(name, { exact: true }).click();
  }

  /** Opens a page from the side menu and waits until it has loaded. */
  async openFromMenu(entry: string): Promise<void> {
    await this.menu.getByRole('link', { name: entry, exact: true }).click();
    await this.settle();
  }

  /** What the tab keeps: sessionStorage and localStorage, as key → value. */
  storage(): Promise<{ session: Record<string, string>; local: Record<string, string> }> {
    return this.page.evaluate(() => {
      const { sessionStorage, localStorage } = globalThis as unknown as InPage;
      const read = (storage: InPage['localStorage']) =>
        Object.fromEntries(Array.from({ length: storage.length }, (_, i) => storage.key(i)!).map((key) => [key, storage.getItem(key)!]));
      return { session: read(sessionStorage), local: read(localStorage) };
    });
  }

  /** The page's language as it declares it (`<html lang>`). */
  language(): Promise<string> {
    return this.page.evaluate(() => (globalThis as unknown as InPage).document.documentElement.lang);
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: true, animations: 'disabled' });
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/**
 * Gives each test of the calling suite a fresh `ConsolePage` (in `locale` unless the test opens another), then, after
 * it, saves its screenshot to `screenshots/<suite>/<test>.png` and fails the test on any problem the page recorded.
 */
export function consolePages(stack: () => ConsoleStack, options: { suite: string; locale?: Locale }): {
  /** This test's page. */
  (): ConsolePage;
  /** Replaces this test's page by one in another language (before anything was done in it). */
  reopen(locale: Locale): Promise<ConsolePage>;
} {
  const folder = join(SCREENSHOTS, options.suite);
  let current: ConsolePage | undefined;

  beforeAll(() => {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
  });
  beforeEach(async () => {
    current = await ConsolePage.open(stack(), options.locale ?? 'en-US');
  });
  afterEach(async () => {
    const page = current;
    current = undefined;
    if (!page) return;
    const test = expect.getState().currentTestName ?? 'test';
    try {
      await page.screenshot(join(folder, `${fileName(test)}.png`));
    } finally {
      await page.close();
    }
    if (page.problemsSeen.length > 0) throw new Error(`the page reported problems:\n${summarize(page.problemsSeen)}`);
  });

  const get = () => {
    if (!current) throw new Error('consolePages: no page outside a test');
    return current;
  };
  return Object.assign(get, {
    reopen: async (locale: Locale) => {
      if (current && current.problemsSeen.length > 0) throw new Error(`the page reported problems before reopening:\n${summarize(current.problemsSeen)}`);
      await current?.close();
      current = await ConsolePage.open(stack(), locale);
      return current;
    },
  });
}

/** A test's name as a file name: letters (any script), digits, dot, dash; the rest becomes `-`. */
function fileName(test: string): string {
  return test.replace(/[^\p{L}\p{N}.]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 150);
}

/** Each distinct problem once, with how often it happened. */
function summarize(problems: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const problem of problems) counts.set(problem, (counts.get(problem) ?? 0) + 1);
  return [...counts].map(([problem, count]) => `- ${problem}${count > 1 ? ` (×${count})` : ''}`).join('\n');
}
