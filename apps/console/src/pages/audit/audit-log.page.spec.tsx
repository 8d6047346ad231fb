import type { AuditEventResponse } from '@dingrelay/contracts/client';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apiError, type FakeAnswer, ok, renderConsolePage } from '../../test/console-page.harness';
import AuditLogPage from './audit-log.page';

const ADMIN_KEY = '292a5901-b671-4c10-9abe-1cd39eef76d6';

function event(overrides: Partial<AuditEventResponse>): AuditEventResponse {
  return {
    id: '1',
    occurredAt: '2026-12-07T02:11:54.408Z',
    actor: { apiKeyId: ADMIN_KEY, name: 'dev-admin', role: 'admin' },
    action: 'send.create',
    target: { type: 'send', id: '48294c54-5afa-4a26-a936-1c637da737a5' },
    requestId: 'c834aee1-0f79-4fcc-a06f-b5c247b1ead6',
    outcome: 'succeeded',
    details: { recipients: 3 },
    ...overrides,
  };
}

const EVENTS = [
  event({ id: '3', action: 'send.cancel', outcome: 'failed', details: { errorCode: 'CONFLICT', message: 'the send has completed' } }),
  event({ id: '2', action: 'widget.frobnicate', target: { type: 'widget', id: 'w-1' } }),
  event({ id: '1', actor: { apiKeyId: null, name: 'system:retention', role: null }, action: 'retention.purge', target: { type: 'recipients', id: 'created-before:2025-11-02' }, requestId: null }),
];

function renderAudit(path: string, answer: FakeAnswer = ok({ items: EVENTS, nextToken: 'next-page' })) {
  return renderConsolePage({ path, routes: { '/audit': <AuditLogPage /> }, answers: { '/v1/audit-events': answer } });
}

// antd in jsdom renders slowly; these tests wait on real renders, not timers.
vi.setConfig({ testTimeout: 60_000 });
afterEach(() => vi.restoreAllMocks());

describe('audit log page', () => {
  it('a bookmarked URL reproduces the view: its filters are sent and shown, bad ones dropped', async () => {
    const errors = vi.spyOn(console, 'error');
    const page = renderAudit('/audit?action=send.cancel&outcome=failed&actorKeyId=not-a-key&from=2026-12-01T00%3A00%3A00%2B08%3A00&targetType=send');
    await screen.findByText('system:retention');

    const sent = page.api.lastRequest('/v1/audit-events')!.url.searchParams;
    expect(Object.fromEntries(sent)).toEqual({ action: 'send.cancel', targetType: 'send', outcome: 'failed', from: '2026-12-01T00:00:00+08:00', maxResults: '50' });

    const filters = screen.getByRole('search');
    expect(within(filters).getByText('Cancel send · send.cancel')).toBeInTheDocument();
    expect(within(filters).getByText('Failed')).toBeInTheDocument();
    expect(within(filters).getByText('Send · send')).toBeInTheDocument();
    expect(within(filters).getByLabelText("Actor's API key ID")).toHaveValue('');
    expect(errors).not.toHaveBeenCalled();
  });

  it('labels known actions in the user language and shows an unknown one as its raw name', async () => {
    const errors = vi.spyOn(console, 'error');
    renderAudit('/audit');
    await screen.findByText('system:retention');
    const table = screen.getByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(within(rows[0]!).getByText('Cancel send')).toBeInTheDocument();
    expect(within(rows[0]!).getByText('send.cancel')).toBeInTheDocument();
    expect(within(rows[0]!).getByText('CONFLICT')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('widget.frobnicate')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('widget')).toBeInTheDocument();
    expect(within(rows[2]!).getByText('Purge recipient detail (retention)')).toBeInTheDocument();
    expect(within(rows[2]!).getByText('None (not an API request)')).toBeInTheDocument();
    expect(errors).not.toHaveBeenCalled();
  });

  it('labels actions in Chinese for a Chinese reader', async () => {
    renderConsolePage({ path: '/audit', routes: { '/audit': <AuditLogPage /> }, answers: { '/v1/audit-events': ok({ items: EVENTS, nextToken: null }) }, language: 'zh-CN' });
    expect(await screen.findByText('取消发送')).toBeInTheDocument();
    expect(screen.getByText('失败')).toBeInTheDocument();
  });

  it('writes a search into the URL and starts again from the first page', async () => {
    const user = userEvent.setup();
    const page = renderAudit('/audit?outcome=failed&page=abc');
    await screen.findByText('system:retention');
    await user.click(screen.getByLabelText('Target ID'));
    await user.paste('ops-robot');
    await user.click(screen.getByRole('button', { name: /Search/ }));
    await waitFor(() => expect(page.location().search).toBe('?targetId=ops-robot&outcome=failed'));
    await waitFor(() => expect(page.api.lastRequest('/v1/audit-events')!.url.searchParams.get('targetId')).toBe('ops-robot'));
  });

  it('narrows to one actor from a row', async () => {
    const user = userEvent.setup();
    const page = renderAudit('/audit?outcome=failed');
    await screen.findByText('system:retention');
    const table = screen.getByRole('table');
    await user.click(within(table).getAllByRole('button', { name: "Show only this key's actions" })[0]!);
    await waitFor(() => expect(page.location().search).toBe(`?actorKeyId=${ADMIN_KEY}&outcome=failed`));
  });

  it("shows the API's refusal of a filter next to the field, with the request id", async () => {
    renderAudit(
      '/audit?from=2026-12-01T00%3A00%3A00%2B08%3A00',
      apiError(400, 'VALIDATION_FAILED', 'Invalid query', [{ field: 'from', message: 'from is too far in the past' }], 'req-42'),
    );
    expect(await within(screen.getByRole('search')).findByText('from is too far in the past')).toBeInTheDocument();
    expect(screen.getByTestId('request-id')).toHaveTextContent('req-42');
  });
});
