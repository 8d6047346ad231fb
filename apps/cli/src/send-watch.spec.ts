import type { SendStatusResponse } from '@dingrelay/contracts/client';
import { CliFailure, ExitCode, UsageError } from './exit-codes.js';
import { checkWaitOutcome, etaNote, waitSettings } from './send-watch.js';

function send(
  status: SendStatusResponse['status'],
  counts: Partial<SendStatusResponse['recipients']>,
  estimatedCompletionAt: string | null = null,
): SendStatusResponse {
  const recipients = { total: 4, pending: 0, delivered: 0, invalid: 0, failed: 0, unknown: 0, cancelled: 0, ...counts };
  return {
    id: 'send-1',
    status,
    chatConfiguration: 'default',
    chatConfigurationId: '2f6c9c1e-6f1a-4c1e-9b1a-6d3c1e2f6c9c',
    chatConfigurationDeleted: false,
    robotCode: 'robot-1',
    msgKey: 'sampleText',
    msgParam: { content: 'hello' },
    idempotencyKey: null,
    deliveryPolicy: 'at-least-once',
    createdAt: '2026-11-21T10:00:00.000Z',
    updatedAt: '2026-11-21T10:00:01.000Z',
    completedAt: null,
    cancelledAt: null,
    requestedBy: null,
    recipientsPurgedAt: null,
    recipients,
    batches: { total: 1, remaining: status === 'completed' ? 0 : 1 },
    progress: { batchesAhead: 0, estimatedCompletionAt, ambiguousCalls: 0, paused: null },
    read: { read: 0, unread: 0, notChecked: 0, batchesPolling: 0, lastCheckedAt: null },
    recall: null,
  };
}

function exitCodeOf(fn: () => void): number {
  try {
    fn();
    return ExitCode.Ok;
  } catch (error) {
    if (error instanceof CliFailure) return error.exitCode;
    throw error;
  }
}

describe('--wait settings and outcome', () => {
  it('reads --interval and --wait-timeout in seconds; no timeout unless given', () => {
    expect(waitSettings({ wait: true })).toEqual({ intervalMs: 1000, timeoutMs: undefined });
    expect(waitSettings({ wait: true, interval: '0.2', 'wait-timeout': '90' })).toEqual({ intervalMs: 200, timeoutMs: 90_000 });
  });

  it('refuses a --wait-timeout that is not a positive number, or without --wait', () => {
    expect(() => waitSettings({ wait: true, 'wait-timeout': '0' })).toThrow(/--wait-timeout must be a number from 0.1/);
    expect(() => waitSettings({ wait: true, 'wait-timeout': 'soon' })).toThrow(UsageError);
    expect(() => waitSettings({ 'wait-timeout': '10' })).toThrow(/--wait-timeout limits --wait; add --wait/);
  });

  it('exits 7 while the send is still delivering, 6 when it finished short, 0 when everyone got it', () => {
    expect(exitCodeOf(() => checkWaitOutcome(send('delivering', { pending: 3, delivered: 1 })))).toBe(ExitCode.StillDelivering);
    expect(exitCodeOf(() => checkWaitOutcome(send('accepted', { pending: 4 })))).toBe(7);
    expect(exitCodeOf(() => checkWaitOutcome(send('completed', { delivered: 3, invalid: 1 })))).toBe(ExitCode.NotAllDelivered);
    expect(exitCodeOf(() => checkWaitOutcome(send('cancelled', { delivered: 2, cancelled: 2 })))).toBe(6);
    expect(exitCodeOf(() => checkWaitOutcome(send('completed', { delivered: 4 })))).toBe(ExitCode.Ok);
  });

  it('says how far the send got and how to keep following it', () => {
    expect(() => checkWaitOutcome(send('delivering', { pending: 3, delivered: 1 }))).toThrow(
      'send send-1 is still delivering after --wait-timeout: 1 of 4 recipients settled; follow it with: dingrelay status send-1 --wait',
    );
  });
});

describe("the progress line's ETA", () => {
  const now = Date.parse('2026-11-21T10:00:00.000Z');
  const eta = (at: string | null) => etaNote(send('delivering', { pending: 2, delivered: 2 }, at), now);

  it("counts down to the API's estimate", () => {
    expect(eta('2026-11-21T10:00:42.000Z')).toBe('ETA 42s');
    expect(eta('2026-11-21T10:03:04.500Z')).toBe('ETA 3m 05s');
    expect(eta('2026-11-21T12:03:00.000Z')).toBe('ETA 2h 03m');
  });

  it('says <1s for an estimate that is due or past, and nothing when the API gives none', () => {
    expect(eta('2026-11-21T09:59:00.000Z')).toBe('ETA <1s');
    expect(eta(null)).toBeUndefined();
  });
});
