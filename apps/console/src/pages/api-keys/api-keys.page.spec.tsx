import type { ApiKeyResponse } from '@dingrelay/contracts/client';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { type Answers, apiError, formItemOf, keyOf, ok, PAGE_TEST_TIMEOUT_MS, renderConsolePage, typeInto } from '../../test/console-page.harness';
import ApiKeysPage from './api-keys.page';

vi.setConfig({ testTimeout: PAGE_TEST_TIMEOUT_MS });

const ROUTES = { '/api-keys': <ApiKeysPage /> };
const SECRET = 'drk_0123456789ab_' + 'S'.repeat(43);

const ADMIN_API: Answers = ({ method, path, body }) => {
  if (method === 'GET' && path === '/v1/api-keys') return ok({ items: [keyOf('admin')], nextToken: null });
  if (method === 'GET' && path === '/v1/chat-configurations') return ok({ items: [{ name: 'ops-robot' }, { name: 'hr-robot' }], nextToken: null });
  if (method === 'POST' && path === '/v1/api-keys') {
    const request = body as { name: string; role: ApiKeyResponse['role']; chatConfigurations?: string[] };
    return ok({ ...keyOf(request.role), id: '00000000-0000-4000-8000-0000000000ff', name: request.name, chatConfigurations: request.chatConfigurations ?? null, key: SECRET }, 201);
  }
  return apiError(500, 'INTERNAL_ERROR', `unexpected ${method} ${path}`);
};

async function pick(user: ReturnType<typeof userEvent.setup>, label: string, option: string, container: HTMLElement) {
  await user.click(within(container).getByLabelText(label));
  const options = await screen.findAllByTitle(option);
  await user.click(options.at(-1)!);
}

describe('API keys', () => {
  it('requires a scope for a sender key, then shows the new key once', async () => {
    const user = userEvent.setup({ delay: null });
    const { api, queryClient } = renderConsolePage({ role: 'admin', path: '/api-keys', routes: ROUTES, answers: ADMIN_API });
    await screen.findByText('admin-key');
    await user.click(screen.getByRole('button', { name: /Create API key/ }));
    const dialog = await screen.findByRole('dialog');

    typeInto('Name', 'billing-service', within(dialog));
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(await within(formItemOf('Chat configurations', within(dialog))).findByText('A sender key needs at least one chat configuration')).toBeInTheDocument();
    expect(api.requests.filter((request) => request.method === 'POST')).toHaveLength(0);

    await pick(user, 'Chat configurations', 'ops-robot', dialog);
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));

    await waitFor(() => expect(api.requests.find((request) => request.method === 'POST')).toBeDefined());
    expect(api.requests.find((request) => request.method === 'POST')!.body).toEqual({ name: 'billing-service', role: 'sender', chatConfigurations: ['ops-robot'] });
    const shown = (await screen.findByText(SECRET)).closest('.ant-modal') as HTMLElement;
    expect(within(shown).getByText('API key billing-service created')).toBeInTheDocument();
    expect(within(shown).getByText('This key will not be shown again')).toBeInTheDocument();
    expect(within(shown).getByRole('button', { name: /copy/i })).toBeInTheDocument();

    await user.click(within(shown).getByRole('button', { name: 'I have copied it' }));
    await waitFor(() => expect(screen.queryByText(SECRET)).not.toBeInTheDocument());
    const kept = JSON.stringify([queryClient.getQueryCache().getAll().map((q) => q.state.data), queryClient.getMutationCache().getAll().map((m) => m.state)]);
    expect(kept).not.toContain(SECRET);
  });

  it('offers no scope to admin and auditor keys and sends none', async () => {
    const user = userEvent.setup({ delay: null });
    const { api } = renderConsolePage({ role: 'admin', path: '/api-keys', routes: ROUTES, answers: ADMIN_API });
    await screen.findByText('admin-key');
    await user.click(screen.getByRole('button', { name: /Create API key/ }));
    const dialog = await screen.findByRole('dialog');

    typeInto('Name', 'audit-li', within(dialog));
    await pick(user, 'Role', 'Auditor', dialog);
    // The form re-renders on the role's change (Form.useWatch) a tick after the pick.
    await waitFor(() => expect(within(dialog).getByLabelText('Chat configurations')).toBeDisabled());
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));

    await waitFor(() => expect(api.requests.find((request) => request.method === 'POST')).toBeDefined());
    expect(api.requests.find((request) => request.method === 'POST')!.body).toEqual({ name: 'audit-li', role: 'auditor' });
  });

  it("shows an auditor the API's refusal with its request id, and no enabled action", async () => {
    renderConsolePage({ role: 'auditor', path: '/api-keys', routes: ROUTES, answers: () => apiError(403, 'FORBIDDEN', 'Keys with role auditor may not do this (allowed: admin)') });
    expect(await screen.findByText('Keys with role auditor may not do this (allowed: admin)')).toBeInTheDocument();
    expect(screen.getByText("Your key's role or scope does not allow this")).toBeInTheDocument();
    expect(screen.getByText('req-test-0001')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Create API key/ })).toBeDisabled();
  });
});
