import type { ChatConfigurationResponse } from '@dingrelay/contracts/client';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { type Answers, apiError, formItemOf, ok, PAGE_TEST_TIMEOUT_MS, renderConsolePage, typeInto } from '../../test/console-page.harness';
import ConfigurationCreatePage from './configuration-create.page';
import ConfigurationDetailPage from './configuration-detail.page';

const SECRETS = { url: 'https://relay.example.test/v1/callbacks/dingtalk/ops-robot', aesKey: 'A'.repeat(43), callbackToken: 'tok-0123456789abcdef' };

function configuration(outputs: ChatConfigurationResponse['outputs']): ChatConfigurationResponse {
  return {
    name: 'ops-robot',
    type: 'DingTalk',
    status: 'active',
    ramRole: null,
    resourceGroupId: null,
    tags: {},
    configuration: { clientId: 'ding-app', clientSecret: '******', robotCode: 'ding-robot', templateId: null, callsPerSecond: null, paceUtilization: null, monthlyCallQuota: null },
    outputs,
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
  };
}

const ROUTES = { '/configurations/new': <ConfigurationCreatePage />, '/configurations/:name': <ConfigurationDetailPage /> };

function fillRequiredFields() {
  typeInto('Name', 'ops-robot');
  typeInto('Client ID (AppKey)', 'ding-app');
  typeInto('Client secret (AppSecret)', 'app-secret');
  typeInto('Robot code', 'ding-robot');
}

vi.setConfig({ testTimeout: PAGE_TEST_TIMEOUT_MS });

describe('creating a chat configuration', () => {
  it('shows the callback secrets once, then only masked', async () => {
    const user = userEvent.setup({ delay: null });
    const answers: Answers = ({ method, path }) => {
      if (method === 'POST' && path === '/v1/chat-configurations') return ok(configuration(SECRETS), 201);
      if (method === 'GET' && path === '/v1/chat-configurations/ops-robot') return ok(configuration({ url: SECRETS.url, aesKey: '******', callbackToken: '******' }));
      if (method === 'GET' && path === '/v1/chat-configurations/ops-robot/plugins') return ok({ chatConfiguration: 'ops-robot', robotCode: 'ding-robot', dingtalk: { plugins: [] }, lastApplied: null });
      return apiError(404, 'NOT_FOUND', 'not here');
    };
    const { queryClient } = renderConsolePage({ role: 'admin', path: '/configurations/new', routes: ROUTES, answers });

    fillRequiredFields();
    await user.click(screen.getByRole('button', { name: 'Create' }));

    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('These values will not be shown again')).toBeInTheDocument();
    expect(within(dialog).getByText(SECRETS.aesKey)).toBeInTheDocument();
    expect(within(dialog).getByText(SECRETS.callbackToken)).toBeInTheDocument();
    expect(within(dialog).getAllByRole('button', { name: /copy/i })).toHaveLength(3);

    await user.click(within(dialog).getByRole('button', { name: 'I have saved them' }));

    // The page moved to the configuration, which shows them masked as the API answers.
    await screen.findByText('Callback (outputs)');
    expect(screen.getAllByText('******').length).toBeGreaterThanOrEqual(3);
    await waitFor(() => expect(screen.queryByText(SECRETS.aesKey)).not.toBeInTheDocument());
    expect(screen.queryByText(SECRETS.callbackToken)).not.toBeInTheDocument();
    // Nothing the console keeps holds them: not the query cache, not the mutation cache.
    const kept = JSON.stringify([
      queryClient.getQueryCache().getAll().map((query) => query.state.data),
      queryClient.getMutationCache().getAll().map((mutation) => mutation.state),
    ]);
    expect(kept).not.toContain(SECRETS.aesKey);
    expect(kept).not.toContain(SECRETS.callbackToken);
    expect(kept).not.toContain('app-secret');
    expect(JSON.stringify({ ...sessionStorage })).not.toContain(SECRETS.aesKey);
    expect(JSON.stringify({ ...localStorage })).not.toContain(SECRETS.aesKey);
  });

  it("puts the API's field errors next to the fields they name", async () => {
    const user = userEvent.setup({ delay: null });
    const { api } = renderConsolePage({
      role: 'admin',
      path: '/configurations/new',
      routes: ROUTES,
      answers: () =>
        apiError(400, 'VALIDATION_FAILED', 'Invalid configuration.clientId', [
          { field: 'configuration.clientId', message: 'is not an app this DingTalk organization has' },
          { field: 'tags', message: 'tags must have at most 20 tags' },
        ]),
    });

    fillRequiredFields();
    await user.click(screen.getByRole('button', { name: 'Create' }));

    await waitFor(() => expect(within(formItemOf('Client ID (AppKey)')).getByText('is not an app this DingTalk organization has')).toBeInTheDocument());
    expect(within(formItemOf('Robot code')).queryByText(/DingTalk organization/)).not.toBeInTheDocument();
    const tags = screen.getByText('Add tag').closest('.ant-form-item') as HTMLElement;
    expect(within(tags).getByText('tags must have at most 20 tags')).toBeInTheDocument();
    expect(screen.getByText('req-test-0001')).toBeInTheDocument();
    expect(api.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });

  it('checks the rules the API checks before sending anything', async () => {
    const user = userEvent.setup({ delay: null });
    const { api } = renderConsolePage({ role: 'admin', path: '/configurations/new', routes: ROUTES, answers: () => ({ status: 500 }) });

    typeInto('Name', '-bad name');
    await user.click(screen.getByRole('button', { name: 'Create' }));

    expect(await within(formItemOf('Name')).findByText(/starting with a letter or digit/)).toBeInTheDocument();
    expect(within(formItemOf('Client ID (AppKey)')).getByText('Required for a DingTalk configuration')).toBeInTheDocument();
    expect(within(formItemOf('Client secret (AppSecret)')).getByText('Required for a DingTalk configuration')).toBeInTheDocument();
    expect(api.requests).toHaveLength(0);
  });

  it('never offers an enabled Create to an auditor', () => {
    renderConsolePage({ role: 'auditor', path: '/configurations/new', routes: ROUTES, answers: () => ({ status: 500 }) });
    expect(screen.getByRole('button', { name: 'Create' })).toBeDisabled();
    expect(screen.getByLabelText('Name')).toBeDisabled();
  });
});
