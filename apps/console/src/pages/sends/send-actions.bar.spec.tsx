import type { ApiKeyResponse, SendStatusResponse } from '@dingrelay/contracts/client';
import { screen, within } from '@testing-library/react';
import { permissionsOf } from '../../auth/permissions';
import { renderConsolePage } from '../../test/console-page.harness';
import { applicableActions, SendActionsBar } from './send-actions.bar';

function sendOf(changes: Partial<SendStatusResponse> = {}): SendStatusResponse {
  return {
    id: '5e881113-459e-4483-94f7-4ffacbe17874',
    status: 'delivering',
    chatConfiguration: 'ops',
    chatConfigurationId: '0b7a3c1e-4f0e-4d8e-9b7b-2f1d9c3a5e10',
    chatConfigurationDeleted: false,
    robotCode: 'ding-ops',
    msgKey: 'sampleText',
    msgParam: { content: '今晚 22:00 系统维护' },
    idempotencyKey: null,
    deliveryPolicy: 'at-least-once',
    createdAt: '2026-12-07T02:00:00.000Z',
    updatedAt: '2026-12-07T02:00:05.000Z',
    completedAt: null,
    cancelledAt: null,
    requestedBy: { apiKeyId: null, name: 'ops-bot' },
    recipientsPurgedAt: null,
    recipients: { total: 3000, pending: 2900, delivered: 100, invalid: 0, failed: 0, cancelled: 0, unknown: 0 },
    batches: { total: 150, remaining: 145 },
    progress: { batchesAhead: 145, estimatedCompletionAt: '2026-12-07T02:00:13.000Z', ambiguousCalls: 0, paused: null },
    read: { read: 0, unread: 0, notChecked: 100, batchesPolling: 5, lastCheckedAt: null },
    recall: null,
    ...changes,
  };
}

type Key = Pick<ApiKeyResponse, 'role' | 'chatConfigurations'>;

function renderBar(identity: Key, language: 'en-US' | 'zh-CN' = 'en-US') {
  renderConsolePage({ ...identity, language, routes: { '*': <SendActionsBar send={sendOf()} permissions={permissionsOf(identity)} onOutcome={() => {}} /> } });
  return within(screen.getByRole('group'));
}

describe('actions on a send, by role and scope', () => {
  it.each<[string, Key]>([
    ['an admin', { role: 'admin', chatConfigurations: null }],
    ['a sender whose scope holds the configuration', { role: 'sender', chatConfigurations: ['hr', 'ops'] }],
  ])('%s may cancel, recall and refresh read status', async (_, identity) => {
    const bar = renderBar(identity);
    for (const name of ['Cancel send', 'Recall', 'Refresh read status']) expect(await bar.findByRole('button', { name: new RegExp(name) })).toBeEnabled();
  });

  it.each<[string, Key]>([
    ['an auditor', { role: 'auditor', chatConfigurations: null }],
    ['a sender of other configurations', { role: 'sender', chatConfigurations: ['hr'] }],
  ])('%s sees every action disabled', async (_, identity) => {
    const bar = renderBar(identity);
    for (const name of ['Cancel send', 'Recall', 'Refresh read status']) expect(await bar.findByRole('button', { name: new RegExp(name) })).toBeDisabled();
  });

  it('an auditor sees them disabled in Chinese too', async () => {
    const bar = renderBar({ role: 'auditor', chatConfigurations: null }, 'zh-CN');
    for (const name of ['取消发送', '撤回', '刷新已读状态']) expect(await bar.findByRole('button', { name: new RegExp(name) })).toBeDisabled();
  });

  it('offers only what the send allows as it stands', () => {
    expect(applicableActions(sendOf())).toEqual(['cancel', 'recall', 'refresh']);
    expect(applicableActions(sendOf({ status: 'accepted', recipients: { ...sendOf().recipients, delivered: 0 }, read: { ...sendOf().read, notChecked: 0 } }))).toEqual(['cancel']);
    const done = sendOf({ status: 'completed', completedAt: '2026-12-07T02:01:00.000Z' });
    expect(applicableActions(done)).toEqual(['recall', 'refresh']);
    const allRead = { ...done.read, read: 100, notChecked: 0 };
    expect(applicableActions({ ...done, read: allRead })).toEqual(['recall']);
    const recalled = { requestedAt: '2026-12-07T03:00:00.000Z', completedAt: null, recalled: 0, failed: 0, failedByReason: {}, pending: 100 };
    expect(applicableActions({ ...done, recall: recalled })).toEqual([]);
    // Its configuration deleted since: no app left to recall or poll with.
    expect(applicableActions({ ...done, chatConfigurationDeleted: true })).toEqual([]);
  });
});
