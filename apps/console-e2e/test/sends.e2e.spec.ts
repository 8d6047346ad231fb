import { randomUUID } from 'node:crypto';
import type { SendStatusResponse } from '@dingrelay/contracts/client';
import { waitFor } from '@dingrelay/testing';
import { consolePages } from './support/console-page.js';
import { ConsoleStack } from './support/console-stack.js';

const START_MS = 240_000;
const TEST_MS = 90_000;

/**
 * The send history and a send's detail as an admin reads and steers them; every send is made through the API (as
 * the services dingrelay serves make them) in the suite's own chat configuration.
 */
describe('console sends', () => {
  let stack: ConsoleStack;
  const tab = consolePages(() => stack, { suite: 'sends' });

  beforeAll(async () => {
    stack = await ConsoleStack.start({ suite: 'sends' });
  }, START_MS);

  afterAll(async () => {
    await stack?.close();
  });

  afterEach(() => {
    stack.sim.configure({ faults: {} });
  });

  const send = (userIds: string[], content: string, idempotencyKey?: string) =>
    stack.client('admin').createSend({ chatConfiguration: stack.configuration, userIds, msgKey: 'sampleText', msgParam: { content } }, { idempotencyKey });

  const sendReaches = (id: string, done: (send: SendStatusResponse) => boolean, description: string) =>
    waitFor(() => stack.client('admin').getSend(id), done, { timeoutMs: 60_000, intervalMs: 250, description: `send ${id} ${description}` });

  /** A send that stays `delivering` for a minute: DingTalk answers each call after 1 s, and there are 200 calls. */
  const slowSend = async (content: string) => {
    stack.sim.configure({ faults: { latencyMs: 1_000, apis: ['batchSend'] } });
    const created = await send(stack.users(4_000, 10_000), content);
    await sendReaches(created.id, (s) => s.status === 'delivering', 'delivering');
    return created;
  };

  it('a send created through the API appears in the history, and its detail shows its delivered recipients', async () => {
    const { page } = tab();
    const idempotencyKey = `console-e2e-${randomUUID()}`;
    const created = await send(stack.users(3), 'history and detail', idempotencyKey);
    await sendReaches(created.id, (s) => s.status === 'completed', 'completed');

    await tab().signIn('admin');
    await tab().openFromMenu('Send history');
    await page.getByLabel('Idempotency key').fill(idempotencyKey);
    await page.getByRole('button', { name: 'Search' }).click();
    await tab().settle();
    const rows = tab().tableRows();
    expect(await rows.count()).toBe(1);
    const row = await rows.first().innerText();
    for (const cell of ['Completed', stack.configuration, 'sampleText', '3', stack.keys.admin.name]) expect(row).toContain(cell);

    await rows.first().getByRole('link').click();
    await page.waitForURL(`**/console/sends/${created.id}`);
    await page.getByRole('heading', { name: /^Send\s+Completed$/ }).waitFor();
    await tab().settle();
    const recipients = page.getByRole('tabpanel', { name: 'Recipients' });
    for (const userId of stack.users(3)) {
      const recipient = recipients.getByRole('row').filter({ has: page.getByRole('cell', { name: userId, exact: true }) });
      const text = await recipient.innerText();
      expect(text).toContain('Delivered');
      // The key DingTalk answered the call with: the one the simulator's ledger delivered this user's message under.
      const [delivery] = stack.sim.ledger.deliveries({ userId, msgKey: 'sampleText' }).deliveries.filter((d) => d.msgParam['content'] === 'history and detail');
      expect(text).toContain(delivery!.processQueryKey);
    }
    expect(await tab().tableRows(recipients).count()).toBe(3);
  }, TEST_MS);

  it('a status filter narrows the history and, kept in the address, survives a reload', async () => {
    const { page } = tab();
    const completed = await send(stack.users(2, 100), 'filter: completed');
    await sendReaches(completed.id, (s) => s.status === 'completed', 'completed');
    const cancelled = await slowSend('filter: cancelled');
    await stack.client('admin').cancelSend(cancelled.id);
    stack.sim.configure({ faults: {} });

    await tab().signIn('admin');
    await tab().openFromMenu('Send history');
    await tab().choose('Chat configuration', stack.configuration);
    await tab().choose('Status', 'Cancelled');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/status=cancelled/);
    await tab().settle();

    const shown = async () => {
      const rows = await tab().tableRows().allInnerTexts();
      return { rows, links: await tab().linksIn(tab().tableRows()) };
    };
    const before = await shown();
    expect(before.rows.length).toBeGreaterThan(0);
    for (const row of before.rows) expect(row).toContain('Cancelled');
    expect(before.links).toContain(`/console/sends/${cancelled.id}`);
    expect(before.links).not.toContain(`/console/sends/${completed.id}`);

    const address = new URL(page.url());
    expect(address.searchParams.get('status')).toBe('cancelled');
    expect(address.searchParams.get('chatConfiguration')).toBe(stack.configuration);
    await page.reload();
    await tab().signedInAs(stack.keys.admin.name).waitFor();
    await tab().settle();
    expect(page.url()).toBe(address.toString());
    expect(await page.getByRole('search').innerText()).toMatch(/Status\s+Cancelled/);
    expect(await shown()).toEqual(before);
  }, TEST_MS);

  it('an admin cancels a send still delivering, behind a confirmation, and sees it cancelled', async () => {
    const { page } = tab();
    const big = await slowSend('cancel me');

    await tab().signIn('admin');
    await tab().openFromMenu('Send history');
    await page.getByLabel('Send ID').fill(big.id);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.waitForURL(`**/console/sends/${big.id}`);
    await page.getByRole('heading', { name: /^Send\s+Delivering/ }).waitFor();

    const actions = page.getByRole('group', { name: 'Actions on this send' });
    await actions.getByRole('button', { name: 'Cancel send' }).click();
    const confirmation = page.getByRole('tooltip').filter({ hasText: 'Cancel this send?' });
    await confirmation.waitFor();
    expect((await stack.client('admin').getSend(big.id)).status).toBe('delivering'); // nothing happened before confirming
    await confirmation.getByRole('button', { name: 'Cancel send' }).click();

    await page.getByRole('heading', { name: /^Send\s+Cancelled/ }).waitFor();
    const outcome = await page.getByRole('status').filter({ hasText: 'recipients cancelled' }).innerText();
    const after = await stack.client('admin').getSend(big.id);
    expect(after.status).toBe('cancelled');
    expect(after.recipients.cancelled).toBeGreaterThan(0);
    expect(outcome).toMatch(/^[\d,]+ recipients cancelled, \d+ in flight/);
    expect(await actions.getByRole('button', { name: 'Cancel send' }).count()).toBe(0);
  }, TEST_MS);
});
