import type { ChatConfigurationResponse, PluginsResponse } from '@dingrelay/contracts/client';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apiError, type FakeAnswer, formItemOf, ok, PAGE_TEST_TIMEOUT_MS, renderConsolePage, type SeenRequest, typeInto } from '../../test/console-page.harness';
import ConfigurationDetailPage from './configuration-detail.page';

vi.setConfig({ testTimeout: PAGE_TEST_TIMEOUT_MS });

const STORED: ChatConfigurationResponse = {
  name: 'ops-robot',
  type: 'DingTalk',
  status: 'active',
  ramRole: null,
  resourceGroupId: null,
  tags: { team: 'ops' },
  configuration: { clientId: 'ding-app', clientSecret: '******', robotCode: 'ding-robot', templateId: null, callsPerSecond: 20, paceUtilization: null, monthlyCallQuota: 50000 },
  outputs: { url: 'https://relay.example.test/v1/callbacks/dingtalk/ops-robot', aesKey: '******', callbackToken: '******' },
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

const PLUGINS: PluginsResponse = {
  chatConfiguration: 'ops-robot',
  robotCode: 'ding-robot',
  dingtalk: { plugins: [{ name: { zh_CN: '请假', en_US: 'Leave' }, icon: '@lALPDtXaDkO3j7hgYA', pcUrl: 'https://pc.example.test/leave' }] },
  lastApplied: null,
};

/** The stored configuration and its quick entries, as changed by `changes`; any other request is unexpected. */
function renderDetail(role: 'admin' | 'auditor', changes: (request: SeenRequest) => FakeAnswer | undefined = () => undefined) {
  return renderConsolePage({
    role,
    path: '/configurations/ops-robot',
    routes: { '/configurations/:name': <ConfigurationDetailPage /> },
    answers: (request) => {
      const changed = changes(request);
      if (changed) return changed;
      if (request.method === 'GET' && request.path === '/v1/chat-configurations/ops-robot') return ok(STORED);
      if (request.method === 'GET' && request.path === '/v1/chat-configurations/ops-robot/plugins') return ok(PLUGINS);
      return apiError(500, 'INTERNAL_ERROR', `unexpected ${request.method} ${request.path}`);
    },
  });
}

const ACTIONS = [/^(edit )?Edit$/, /Delete$/, /Edit quick entries$/, /Clear quick entries$/];

describe('a chat configuration', () => {
  it('offers an auditor every field and no enabled change', async () => {
    renderDetail('auditor');
    await screen.findByText('@lALPDtXaDkO3j7hgYA');
    expect(screen.getByText('ding-robot')).toBeInTheDocument();
    expect(screen.getAllByText('******')).toHaveLength(3);
    for (const name of ACTIONS) expect(screen.getByRole('button', { name })).toBeDisabled();
  });

  it('offers an admin every change', async () => {
    renderDetail('admin');
    await screen.findByText('@lALPDtXaDkO3j7hgYA');
    for (const name of ACTIONS) expect(screen.getByRole('button', { name })).toBeEnabled();
  });

  it('saves an edit as a PATCH of the changed fields only, a cleared one as null', async () => {
    const user = userEvent.setup({ delay: null });
    const { api } = renderDetail('admin', (request) => (request.method === 'PATCH' ? ok({ ...STORED, configuration: { ...STORED.configuration, monthlyCallQuota: null, templateId: 'tpl-1' } }) : undefined));
    await user.click(await screen.findByRole('button', { name: /^(edit )?Edit$/ }));
    const drawer = await screen.findByRole('dialog');

    typeInto('Monthly call quota', '', within(drawer));
    typeInto('Template ID', 'tpl-1', within(drawer));
    await user.click(within(drawer).getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(api.requests.find((request) => request.method === 'PATCH')).toBeDefined());
    expect(api.requests.find((request) => request.method === 'PATCH')!.body).toEqual({ configuration: { templateId: 'tpl-1', monthlyCallQuota: null } });
  });

  it('explains why a configuration with sends in progress cannot be deleted', async () => {
    const user = userEvent.setup({ delay: null });
    renderDetail('admin', (request) =>
      request.method === 'DELETE'
        ? apiError(409, 'CONFLICT', 'Chat configuration ops-robot has 2 send(s) in progress; cancel them or wait until they complete', [{ field: 'name', message: 'has sends in progress' }])
        : undefined,
    );
    await user.click(await screen.findByRole('button', { name: /Delete$/ }));
    await user.click(within(await screen.findByRole('tooltip')).getByRole('button', { name: 'Delete' }));

    expect((await screen.findAllByText('Sends are still in progress')).length).toBeGreaterThan(0);
    expect(screen.getByText(/has 2 send\(s\) in progress/)).toBeInTheDocument();
    expect(screen.getByText('req-test-0001')).toBeInTheDocument();
  });

  it("puts a quick-entry field error on that entry's field, and explains DingTalk being busy with its wait", async () => {
    const user = userEvent.setup({ delay: null });
    let attempt = 0;
    const { api } = renderDetail('admin', (request) => {
      if (request.method !== 'PUT') return undefined;
      attempt += 1;
      return attempt === 1
        ? apiError(400, 'VALIDATION_FAILED', 'Invalid plugins.0.icon', [{ field: 'plugins.0.icon', message: 'icon must be a DingTalk mediaId such as @lALPDtXaDkO3j7hgYA' }])
        : { ...apiError(503, 'DINGTALK_UNAVAILABLE', 'DingTalk is busy', [{ field: 'dingtalk', message: 'DingTalk answered system.busy' }]), headers: { 'retry-after': '7' } };
    });
    await screen.findByText('@lALPDtXaDkO3j7hgYA');
    await user.click(screen.getByRole('button', { name: /Edit quick entries$/ }));
    const drawer = await screen.findByRole('dialog');
    // The editor starts from what DingTalk reports now.
    expect(within(drawer).getByLabelText('Entry 1 label 1')).toHaveValue('请假');

    const apply = async () => {
      await user.click(within(drawer).getByRole('button', { name: 'Apply to the robot' }));
      await user.click(within(await screen.findByRole('tooltip')).getByRole('button', { name: 'Apply to the robot' }));
    };
    await apply();
    await waitFor(() => expect(within(formItemOf('Icon (mediaId)', within(drawer))).getByText(/must be a DingTalk mediaId/)).toBeInTheDocument());
    expect(api.requests.find((request) => request.method === 'PUT')!.body).toEqual({
      plugins: [{ name: { zh_CN: '请假', en_US: 'Leave' }, icon: '@lALPDtXaDkO3j7hgYA', pcUrl: 'https://pc.example.test/leave' }],
    });

    await apply();
    expect(await within(drawer).findByText(/try again in 7 s/)).toBeInTheDocument();
    expect(within(drawer).getByText('DingTalk answered system.busy')).toBeInTheDocument();
  });
});
