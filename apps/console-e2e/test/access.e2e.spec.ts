import type { SendStatusResponse } from '@dingrelay/contracts/client';
import { waitFor } from '@dingrelay/testing';
import { consolePages } from './support/console-page.js';
import { ConsoleStack } from './support/console-stack.js';

const START_MS = 240_000;
const TEST_MS = 120_000;

/**
 * Buttons that only read, filter, page, copy or show: everything else that is enabled for an auditor would be an
 * action it may not take. A new kind of button fails the test until it is listed here as read-only (or disabled).
 */
const READ_ONLY_BUTTONS: readonly RegExp[] = [
  /^(Sign out|Search|Reset|Reset filters|Open|First|Previous|Next|Copy|Show|Hide|Back to the list)$/,
  /^(Expand row|Collapse row)$/,
  /^Show only this (key's actions|target's history|user's messages|conversation)$/,
  // Reading again, exporting (or opening the export of what a page shows), and a fresh look at the robot's quick
  // entries are reads an auditor may make.
  /^(Refresh|Download|Export these results|Ask DingTalk again)$/,
];

/** What the console says when the API refuses a key's role (common.json errors.FORBIDDEN). */
const FORBIDDEN = "Your key's role or scope does not allow this";

describe('console access by role', () => {
  let stack: ConsoleStack;
  const tab = consolePages(() => stack, { suite: 'access' });

  beforeAll(async () => {
    stack = await ConsoleStack.start({ suite: 'access' });
  }, START_MS);

  afterAll(async () => {
    await stack?.close();
  });

  afterEach(() => {
    stack.sim.configure({ faults: {} });
  });

  const sendReaches = (id: string, done: (send: SendStatusResponse) => boolean, description: string) =>
    waitFor(() => stack.client('admin').getSend(id), done, { timeoutMs: 60_000, intervalMs: 250, description: `send ${id} ${description}` });

  /** The names of the enabled buttons on the page that are not known to be read-only. */
  const enabledActions = async (): Promise<string[]> => {
    const names = new Set<string>();
    for (const { name, enabled } of await tab().buttons()) {
      if (enabled && !READ_ONLY_BUTTONS.some((pattern) => pattern.test(name))) names.add(name);
    }
    return [...names];
  };

  it('no page offers an auditor an enabled action; a send\'s actions are shown disabled, saying why', async () => {
    const { page } = tab();
    const delivered = await stack.client('admin').createSend({ chatConfiguration: stack.configuration, userIds: stack.users(2), msgKey: 'sampleText', msgParam: { content: 'read only' } });
    await sendReaches(delivered.id, (s) => s.status === 'completed', 'completed');
    stack.sim.configure({ faults: { latencyMs: 1_000, apis: ['batchSend'] } });
    const delivering = await stack.client('admin').createSend({ chatConfiguration: stack.configuration, userIds: stack.users(4_000, 10_000), msgKey: 'sampleText', msgParam: { content: 'still delivering' } });

    await tab().signIn('auditor');
    const found: Record<string, string[]> = {};
    for (const entry of await tab().menuEntries()) {
      await tab().openFromMenu(entry);
      found[entry] = await enabledActions();
    }

    await tab().goto(`/sends/${delivered.id}`);
    await page.getByRole('heading', { name: /^Send\s+Completed/ }).waitFor();
    await tab().settle();
    found['send detail (completed)'] = await enabledActions();
    const actions = page.getByRole('group', { name: 'Actions on this send' });
    expect(await actions.getByRole('button').allInnerTexts()).toEqual(['Refresh read status', 'Recall']);
    for (const button of await actions.getByRole('button').all()) expect(await button.isDisabled()).toBe(true);
    await actions.getByRole('button', { name: 'Recall' }).hover();
    await page.getByRole('tooltip').getByText(FORBIDDEN).waitFor();

    await tab().goto(`/sends/${delivering.id}`);
    await page.getByRole('heading', { name: /^Send\s+(Accepted|Delivering)/ }).waitFor();
    await tab().settle();
    found['send detail (delivering)'] = await enabledActions();
    expect(await actions.getByRole('button', { name: 'Cancel send' }).isDisabled()).toBe(true);
    await stack.client('admin').cancelSend(delivering.id);

    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((page) => [page, []])));
  }, TEST_MS);

  it('chat configurations are read-only for an auditor: creating, editing, deleting and quick entries are shown disabled', async () => {
    const { page } = tab();
    await tab().signIn('auditor');
    const disabled = async (names: string[]) => {
      for (const name of names) expect([name, await tab().button(name).isDisabled()]).toEqual([name, true]);
    };

    await tab().openFromMenu('Chat configurations');
    expect(await enabledActions()).toEqual([]);
    await disabled(['Create configuration']);

    await tab().goto(`/configurations/${stack.configuration}`);
    await page.getByRole('heading', { name: new RegExp(`^${stack.configuration}`) }).waitFor();
    await page.getByText('What DingTalk reports now').waitFor();
    await tab().settle();
    expect(await enabledActions()).toEqual([]);
    await disabled(['Edit', 'Delete', 'Edit quick entries', 'Clear quick entries']);

    await tab().goto('/configurations/new');
    await page.getByText('Only admin keys create chat configurations; this form is read-only for your key.').waitFor();
    expect(await enabledActions()).toEqual([]);
    await disabled(['Create']);
    expect(await page.getByLabel('Name', { exact: true }).isDisabled()).toBe(true);
  }, TEST_MS);

  it("an admin page opened by its address shows the API's 403 with a copyable request id, and offers nothing", async () => {
    const { page } = tab();
    tab().expectHttpErrors(403);
    await tab().signIn('auditor');
    expect(await tab().menuEntries()).not.toContain('API keys');

    await tab().goto('/api-keys');
    const alert = page.getByRole('alert').filter({ hasText: FORBIDDEN });
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).toMatch(/Keys with role auditor may not do this/);
    const requestId = /Request ID:\s*([0-9a-f-]{36})/.exec(text)?.[1];
    expect(requestId).toBeDefined();
    await alert.getByRole('button', { name: 'Copy' }).waitFor();
    await tab().settle();
    expect(await enabledActions()).toEqual([]);
  }, TEST_MS);

  it("a sender may cancel its own configuration's sends; another configuration's send shows the API's refusal", async () => {
    const { page } = tab();
    const admin = stack.client('admin');
    const other = `console-access-other-${stack.prefix.slice(-8)}`;
    await admin.createChatConfiguration({ name: other, type: 'DingTalk', configuration: { clientId: stack.app.appKey, clientSecret: stack.app.appSecret, robotCode: stack.app.robotCode } });
    const elsewhere = await admin.createSend({ chatConfiguration: other, userIds: stack.users(2), msgKey: 'sampleText', msgParam: { content: 'not for this sender' } });
    await sendReaches(elsewhere.id, (s) => s.status === 'completed', 'completed');
    stack.sim.configure({ faults: { latencyMs: 1_000, apis: ['batchSend'] } });
    const own = await admin.createSend({ chatConfiguration: stack.configuration, userIds: stack.users(4_000, 10_000), msgKey: 'sampleText', msgParam: { content: "the sender's own" } });

    await tab().signIn('sender');
    await tab().goto(`/sends/${own.id}`);
    await page.getByRole('heading', { name: /^Send\s+(Accepted|Delivering)/ }).waitFor();
    expect(await page.getByRole('group', { name: 'Actions on this send' }).getByRole('button', { name: 'Cancel send' }).isEnabled()).toBe(true);
    await admin.cancelSend(own.id);

    tab().expectHttpErrors(403);
    await tab().goto(`/sends/${elsewhere.id}`);
    const alert = page.getByRole('alert').filter({ hasText: FORBIDDEN });
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/Request ID:\s*[0-9a-f-]{36}/);
    expect(await page.getByRole('group', { name: 'Actions on this send' }).count()).toBe(0);
    await admin.deleteChatConfiguration(other);
  }, TEST_MS);
});
