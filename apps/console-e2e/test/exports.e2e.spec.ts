import { readFile } from 'node:fs/promises';
import type { ExportDownload } from '@dingrelay/contracts/client';
import { parseCsv, waitFor } from '@dingrelay/testing';
import { consolePages } from './support/console-page.js';
import { ConsoleStack } from './support/console-stack.js';

const START_MS = 240_000;
const TEST_MS = 90_000;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

async function bytesOf(download: ExportDownload): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of download.body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('console exports', () => {
  let stack: ConsoleStack;
  const tab = consolePages(() => stack, { suite: 'exports' });

  beforeAll(async () => {
    stack = await ConsoleStack.start({ suite: 'exports' });
  }, START_MS);

  afterAll(async () => {
    await stack?.close();
  });

  it("an export of the history's filters downloads a CSV, Excel-ready, whose rows are the API's", async () => {
    const { page } = tab();
    const admin = stack.client('admin');
    // A requester with a Chinese name, so the file has Chinese text for Excel to show intact.
    const requester = `运营部 通知 ${stack.prefix.slice(-8)}`;
    const chinese = stack.client((await admin.createApiKey({ name: requester, role: 'sender', chatConfigurations: [stack.configuration] })).key);
    const sends = [];
    for (const [i, client] of [admin, chinese, admin].entries()) {
      sends.push(await client.createSend({ chatConfiguration: stack.configuration, userIds: stack.users(2, 10 * i + 1), msgKey: 'sampleText', msgParam: { content: `export ${i}` } }));
    }
    for (const { id } of sends) await waitFor(() => admin.getSend(id), (s) => s.status === 'completed', { timeoutMs: 60_000, intervalMs: 250, description: `send ${id} completed` });

    await tab().signIn('admin');
    await tab().openFromMenu('Export');
    await tab().choose('Chat configuration', stack.configuration);
    await tab().button('Search').click();
    await page.waitForURL(/chatConfiguration=/);
    await tab().settle();
    // The preview shows what the file will hold.
    expect((await tab().linksIn(tab().tableRows())).sort()).toEqual(sends.map(({ id }) => `/console/sends/${id}`).sort());
    expect(await page.getByRole('radio', { name: 'CSV', exact: true }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Excel-compatible (UTF-8 with BOM)' }).isChecked()).toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download'), tab().button('Download').click()]);
    await page.getByRole('status').filter({ hasText: 'The download has started' }).waitFor();
    expect(download.suggestedFilename()).toMatch(/^sends-.*\.csv$/);
    const file = await readFile(await download.path());

    // Byte for byte what the API exports for the same filters, and a row for each send the history lists.
    const api = await bytesOf(await admin.exportSends({ chatConfiguration: stack.configuration }, { format: 'csv', bom: true }));
    expect(file.subarray(0, 3)).toEqual(BOM);
    expect(file.toString('utf8')).toBe(api.toString('utf8'));
    const text = file.subarray(3).toString('utf8');
    expect(text).toContain(requester);
    const [header, ...rows] = parseCsv(text);
    const id = header!.indexOf('id');
    const listed = (await admin.listSends({ chatConfiguration: stack.configuration })).items.map((item) => item.id);
    expect(rows.map((row) => row[id])).toEqual(listed);
    expect([...listed].sort()).toEqual(sends.map((send) => send.id).sort());
    // The key never travelled in a URL: the browser downloaded through a one-time link.
    const { key } = stack.keys.admin;
    expect(tab().urls.filter((url) => url.includes(key)).length).toBe(0);
    expect(download.url()).toMatch(/\/v1\/exports\//);
  }, TEST_MS);
});
