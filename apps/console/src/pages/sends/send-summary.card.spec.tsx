import type { SendStatusResponse } from '@dingrelay/contracts/client';
import { screen, within } from '@testing-library/react';
import { renderConsolePage } from '../../test/console-page.harness';
import { SendSummaryCard } from './send-summary.card';

function sendOf(changes: Partial<SendStatusResponse> = {}): SendStatusResponse {
  return {
    id: '5e881113-459e-4483-94f7-4ffacbe17874',
    status: 'completed',
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
    completedAt: '2026-12-07T02:00:05.000Z',
    cancelledAt: null,
    requestedBy: { apiKeyId: null, name: 'ops-bot' },
    recipientsPurgedAt: null,
    recipients: { total: 3, pending: 0, delivered: 3, invalid: 0, failed: 0, cancelled: 0, unknown: 0 },
    batches: { total: 1, remaining: 0 },
    progress: { batchesAhead: 0, estimatedCompletionAt: null, ambiguousCalls: 0, paused: null },
    read: { read: 0, unread: 0, notChecked: 3, batchesPolling: 1, lastCheckedAt: null },
    recall: null,
    ...changes,
  };
}

/** The overview's configuration row: its name (a term, and the description after it). */
function configurationRow(label: string): HTMLElement {
  return screen.getByText(label).closest('tr')!;
}

describe('the send overview names the chat configuration', () => {
  it('links to the configuration the send went through', () => {
    renderConsolePage({ routes: { '*': <SendSummaryCard send={sendOf()} /> } });
    const row = within(configurationRow('Chat configuration'));
    expect(row.getByRole('link', { name: 'ops' })).toHaveAttribute('href', '/configurations/ops');
    expect(row.queryByText('deleted')).toBeNull();
  });

  it('tags a deleted one and does not link to whatever has its name now', () => {
    renderConsolePage({ routes: { '*': <SendSummaryCard send={sendOf({ chatConfigurationDeleted: true })} /> } });
    const row = within(configurationRow('Chat configuration'));
    expect(row.queryByRole('link')).toBeNull();
    expect(row.getByText('ops')).toBeInTheDocument();
    expect(row.getByText('deleted')).toHaveAttribute('title', expect.stringMatching(/^The chat configuration this send went through has been deleted since\. A configuration now named ops/));
  });

  it('says so in Chinese too', () => {
    renderConsolePage({ language: 'zh-CN', routes: { '*': <SendSummaryCard send={sendOf({ chatConfigurationDeleted: true })} /> } });
    expect(within(configurationRow('聊天配置')).getByText('已删除')).toHaveAttribute('title', expect.stringContaining('现名为 ops 的配置'));
  });
});
