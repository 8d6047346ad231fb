import type { DingrelayApiError } from '@dingrelay/contracts/client';
import { consolePages } from './support/console-page.js';
import { ConsoleStack, type Role } from './support/console-stack.js';

/** Starting the stack builds the apps and the console (cached) and starts four processes on a busy machine. */
const START_MS = 240_000;
const TEST_MS = 60_000;

/** What the side menu offers each role (apps/console/src/app/routes.tsx, nav.json). */
const MENUS: Record<Role, string[]> = {
  admin: ['Overview', 'Send history', 'User messages', 'Export', 'Audit log', 'Inbound messages', 'Usage', 'Chat configurations', 'API keys'],
  auditor: ['Overview', 'Send history', 'User messages', 'Export', 'Audit log', 'Inbound messages', 'Usage', 'Chat configurations'],
  sender: ['Overview', 'Send history', 'User messages'],
};
const ROLE_NAMES: Record<Role, string> = { admin: 'Admin', auditor: 'Auditor', sender: 'Sender' };

/** signin.json's keyRejected. */
const KEY_REJECTED = 'Your key is no longer accepted (revoked or expired). Sign in with another key.';

/** Well-formed (drk_<12 hex>_<43 characters>), so the form lets it through, but no key the API issued. */
const UNKNOWN_KEY = `drk_0123456789ab_${'A'.repeat(43)}`;

describe('console sign-in', () => {
  let stack: ConsoleStack;
  const tab = consolePages(() => stack, { suite: 'sign-in' });

  beforeAll(async () => {
    stack = await ConsoleStack.start({ suite: 'sign-in' });
  }, START_MS);

  afterAll(async () => {
    await stack?.close();
  });

  it.each(['admin', 'auditor', 'sender'] as const)(
    'a %s signs in: the header shows the key and its role, the menu what the role may use',
    async (role) => {
      const { page } = tab();
      await tab().signIn(role);
      const signedInAs = page.getByLabel('Signed in as');
      expect(await signedInAs.innerText()).toMatch(new RegExp(`${stack.keys[role].name}\\s+${ROLE_NAMES[role]}`));
      expect(await tab().menuEntries()).toEqual(MENUS[role]);
      expect(new URL(page.url()).pathname).toMatch(/^\/console\/?$/);
    },
    TEST_MS,
  );

  it("refuses a key the API does not accept, with the API's own 401 message", async () => {
    const { page } = tab();
    tab().expectHttpErrors(401);
    const refusal = await stack.client(UNKNOWN_KEY).getCurrentApiKey().then(
      () => Promise.reject(new Error('the API accepted a made-up key')),
      (error: unknown) => error as DingrelayApiError,
    );
    expect(refusal).toMatchObject({ status: 401 });

    await tab().signIn(UNKNOWN_KEY);
    const alert = page.getByRole('alert');
    await alert.getByText('The API key was not accepted').waitFor();
    expect(await alert.innerText()).toContain(refusal.message);
    expect(await alert.innerText()).toContain(`Request ID:`);
    await tab().signInButton.waitFor();
    expect((await tab().storage()).session).toEqual({});
  }, TEST_MS);

  it('signing out forgets the key: sessionStorage is empty and the sign-in page says so; the key never reached localStorage or a URL', async () => {
    const { page } = tab();
    const { key } = stack.keys.admin;
    await tab().signIn('admin');
    // The key is kept for this tab while signed in (so the check below means something), and only there.
    expect(Object.values((await tab().storage()).session).includes(key)).toBe(true);
    await page.getByRole('link', { name: 'Send history' }).click();
    await page.waitForURL('**/console/sends');
    await page.reload();
    await tab().signedInAs(stack.keys.admin.name).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You signed out. The key was removed from this tab.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    const storage = await tab().storage();
    expect(storage.session).toEqual({});
    // Failures name where the key was found, without printing it.
    expect(Object.entries(storage.local).filter(([, value]) => value.includes(key)).map(([name]) => name)).toEqual([]);
    const carried = tab().urls.filter((url) => url.includes(key) || url.includes(encodeURIComponent(key)));
    expect(carried.map((url) => url.replaceAll(key, '<key>').replaceAll(encodeURIComponent(key), '<key>'))).toEqual([]);

    // Nothing left to restore: a reload stays on the sign-in page.
    await page.reload();
    await tab().apiKeyField.waitFor();
    expect(await page.getByText(stack.keys.admin.name, { exact: true }).count()).toBe(0);
  }, TEST_MS);

  it('a key revoked while signed in: the next page read returns to sign-in saying the key is no longer accepted', async () => {
    const { page } = tab();
    tab().expectHttpErrors(401);
    const admin = stack.client('admin');
    const doomed = await admin.createApiKey({ name: `console-sign-in-revoked-in-use-${stack.prefix.slice(-8)}`, role: 'auditor' });
    await tab().signIn(doomed.key);
    await tab().signedInAs(doomed.name).waitFor();
    await admin.revokeApiKey(doomed.id);

    await tab().menu.getByRole('link', { name: 'Send history', exact: true }).click();
    await page.getByText(KEY_REJECTED).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    expect((await tab().storage()).session).toEqual({});
    // Signing in again (with a key that works) goes back where the user was.
    await tab().signIn('auditor', { navigate: false });
    await page.waitForURL('**/console/sends');
  }, TEST_MS);

  it('a key revoked since the page loaded: the next load returns to sign-in saying the key is no longer accepted', async () => {
    const { page } = tab();
    tab().expectHttpErrors(401);
    const admin = stack.client('admin');
    const doomed = await admin.createApiKey({ name: `console-sign-in-revoked-on-reload-${stack.prefix.slice(-8)}`, role: 'auditor' });
    await tab().signIn(doomed.key);
    await tab().signedInAs(doomed.name).waitFor();
    await admin.revokeApiKey(doomed.id);

    await page.reload();
    await page.getByText(KEY_REJECTED).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    expect((await tab().storage()).session).toEqual({});
  }, TEST_MS);

  it('a deep link opened before signing in comes back after it', async () => {
    const { page } = tab();
    const send = await stack.client('admin').createSend({
      chatConfiguration: stack.configuration,
      userIds: stack.users(2),
      msgKey: 'sampleText',
      msgParam: { content: 'deep link' },
    });
    await tab().goto(`/sends/${send.id}`);
    await tab().apiKeyField.waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');

    await tab().signIn('auditor', { navigate: false });
    await page.waitForURL(`**/console/sends/${send.id}`);
    expect(new URL(page.url()).search).toBe('');
    await page.getByRole('heading', { name: /^Send\b/ }).waitFor();
    await page.getByText(send.id, { exact: true }).waitFor();
  }, TEST_MS);
});
