import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ok, PAGE_TEST_TIMEOUT_MS, renderConsolePage, type SeenRequest } from '../test/console-page.harness';
import { ConfigurationNameSelect } from './configuration-name.select';

/** A deployment with 250 configurations: dingrelay answers the first 100 names starting with `name`, by name. */
const NAMES = Array.from({ length: 250 }, (_, i) => `robot-${String(i).padStart(3, '0')}`);
function listNames(request: SeenRequest) {
  if (request.path !== '/v1/chat-configurations') return undefined;
  const prefix = request.url.searchParams.get('name') ?? '';
  const matching = NAMES.filter((name) => name.startsWith(prefix));
  const page = matching.slice(0, Number(request.url.searchParams.get('maxResults') ?? 20));
  return ok({ items: page.map((name) => ({ name })), nextToken: matching.length > page.length ? 'more' : null });
}

function Picker() {
  const [value, setValue] = useState<string | undefined>();
  return (
    <>
      <ConfigurationNameSelect ariaLabel="Chat configuration" value={value} onChange={setValue} />
      <output>chosen: {value ?? 'none'}</output>
    </>
  );
}

/** The option itself (antd also repeats names in an accessibility list). */
async function option(name: string): Promise<HTMLElement> {
  const found = (await screen.findAllByText(name)).find((element) => element.closest('.ant-select-item-option'));
  if (!found) throw new Error(`no option ${name}`);
  return found;
}

function openAndType(text: string) {
  const input = screen.getByRole('combobox', { name: 'Chat configuration' });
  fireEvent.mouseDown(input);
  fireEvent.change(input, { target: { value: text } });
}

describe('ConfigurationNameSelect', () => {
  it('finds a configuration beyond the first page by asking dingrelay for names starting with the text', async () => {
    const page = renderConsolePage({ routes: { '*': <Picker /> }, answers: listNames, role: 'auditor' });
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Chat configuration' }));
    await screen.findByText('Showing the first 100; type to find others by the start of their name');
    expect(screen.queryAllByText('robot-230').filter((element) => element.closest('.ant-select-item-option'))).toEqual([]);

    openAndType('robot-23');
    const robot230 = await option('robot-230');
    expect(page.api.lastRequest('/v1/chat-configurations')!.url.searchParams.get('name')).toBe('robot-23');
    // Ten names start with it: all listed, no "type to find others".
    await waitFor(() => expect(screen.queryByText(/type to find others/)).toBeNull());
    fireEvent.click(robot230);
    expect(await screen.findByText('chosen: robot-230')).toBeTruthy();
  }, PAGE_TEST_TIMEOUT_MS);

  it('a sender picks among its own configurations without asking dingrelay', async () => {
    const page = renderConsolePage({
      routes: { '*': <Picker /> },
      answers: listNames,
      role: 'sender',
      chatConfigurations: ['hr-robot', 'ops-robot'],
    });
    openAndType('ops');
    fireEvent.click(await option('ops-robot'));
    expect(await screen.findByText('chosen: ops-robot')).toBeTruthy();
    expect(screen.queryAllByText('hr-robot').filter((element) => element.closest('.ant-select-item-option'))).toEqual([]);
    expect(page.api.requests.filter((r) => r.path === '/v1/chat-configurations')).toEqual([]);
  }, PAGE_TEST_TIMEOUT_MS);

  it('says so in Chinese when more names exist than it lists', async () => {
    renderConsolePage({ routes: { '*': <Picker /> }, answers: listNames, role: 'admin', language: 'zh-CN' });
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Chat configuration' }));
    expect(await screen.findByText('仅显示前 100 个；输入名称开头以查找其他配置')).toBeTruthy();
  }, PAGE_TEST_TIMEOUT_MS);
});
