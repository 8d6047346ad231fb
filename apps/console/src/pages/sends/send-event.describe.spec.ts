import type { SendEventResponse } from '@dingrelay/contracts/client';
import { createTestI18n } from '../../test/test-i18n';
import { describeSendEvent } from './send-event.describe';

const event = (type: string, details: Record<string, unknown>): Pick<SendEventResponse, 'type' | 'details'> => ({ type, details });

/** What the API writes (README "Requester and timeline"; the domain's batch-events, cancel, recall and read events). */
const EVENTS = [
  event('accepted', { recipients: 60, duplicatesRemoved: 1, batches: 3, deliveryPolicy: 'at-least-once', chatConfiguration: 'default', requestedBy: 'ci-bot' }),
  event('batch.attempt', { attempt: 1, result: 'sent', dingtalkRequestId: 'REQ-1', delivered: 18, invalid: 2, filtered: 0, flowControlled: 1 }),
  event('batch.attempt', { attempt: 2, result: 'failed', errorCode: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', retryClass: 'qps-throttle', ambiguous: false, dingtalkRequestId: 'REQ-2' }),
  event('batch.attempt', { attempt: 1, result: 'failed', errorCode: 'ETIMEDOUT', retryClass: 'ambiguous', ambiguous: true, dingtalkRequestId: null }),
  event('batch.retry-scheduled', { reason: 'flowControlled', delayMs: 2000, users: 1, maxDelayMs: 2000 }),
  event('batch.retry-scheduled', { reason: 'qps-throttle: Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', delayMs: 1500 }),
  event('batch.ambiguous', { attempt: 1, reason: 'ETIMEDOUT: the answer was lost; re-sent under at-least-once' }),
  event('batch.cancelled', { recipients: 20, reason: 'the send was cancelled before this batch was sent' }),
  event('batch.failed', { errorCode: 'invalidParameter', message: 'msgParam is invalid', recipients: { failed: 20 } }),
  event('send.cancelled', { cancelledRecipients: 2940, cancelledBatches: 147, inFlightRecipients: 40, by: 'dev-admin' }),
  event('send.completed', { recipients: { invalid: 2, delivered: 58 } }),
  event('read-status.polled', { sendStatus: 'ok', newlyRead: 12, unread: 46, done: false, requestId: 'REQ-3' }),
  event('read-status.poll-failed', { code: 'robot.processQueryKey.expired', retryable: false }),
  event('recall.requested', { batchesToRecall: 3, batchesExpired: 0, batchesInFlight: 1, recipientsCancelled: 0, by: 'dev-admin' }),
  event('recall.call', { keys: 3, recalled: 55, failed: 3, requestId: 'REQ-4' }),
  event('recall.call-failed', { keys: 3, code: 'Throttling', retryable: true }),
  event('recall.expired', { batches: 2, recipients: 40 }),
  event('recall.completed', { recalled: 55, failed: 3 }),
  event('plugins.applied', { something: 1 }),
];

describe('timeline events, as a person reads them', () => {
  it.each(['en-US', 'zh-CN'] as const)('every event type reads as a sentence in %s, with no missing text', (language) => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const t = createTestI18n(language).t;
    for (const e of EVENTS) {
      const described = describeSendEvent(t, e);
      expect(described.title).not.toMatch(/events\.|\{\{|undefined|NaN/);
      expect(described.title.length).toBeGreaterThan(5);
    }
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });

  it('counts and DingTalk codes in English', () => {
    const t = createTestI18n('en-US').t;
    const [accepted, sent, throttled, lost, flow, , , , failed, cancelled, completed, polled, pollFailed] = EVENTS.map((e) => describeSendEvent(t, e!));
    expect(accepted!.title).toBe('Accepted from ci-bot through default: 60 recipients in 3 batches (1 duplicate IDs removed)');
    expect(sent).toMatchObject({ title: 'DingTalk call #1 answered: 18 delivered, 2 invalid, 0 filtered, 1 throttled', dingtalkRequestId: 'REQ-1', color: 'green' });
    expect(throttled).toMatchObject({ title: 'DingTalk call #2 failed (rate of calls throttled)', code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', color: 'red' });
    expect(lost!.title).toBe('DingTalk call #1 got no answer (answer lost): it may or may not have delivered');
    expect(flow!.title).toBe('1 throttled user(s) re-sent in 2 s');
    expect(failed).toMatchObject({ code: 'invalidParameter', title: 'Batch failed for good (20 Failed): msgParam is invalid' });
    expect(cancelled!.title).toBe('Cancelled by dev-admin: 2940 recipients cancelled in 147 batches, 40 in flight');
    expect(completed!.title).toBe('Completed: 58 Delivered, 2 Invalid');
    expect(polled).toMatchObject({ title: 'Read status checked: 12 newly read, 46 unread', dingtalkRequestId: 'REQ-3' });
    expect(pollFailed).toMatchObject({ code: 'robot.processQueryKey.expired' });
    expect(describeSendEvent(t, EVENTS.at(-1)!).title).toBe('Event plugins.applied');
  });

  it('the same in Chinese', () => {
    const t = createTestI18n('zh-CN').t;
    const title = (index: number) => describeSendEvent(t, EVENTS[index]!).title;
    expect(title(1)).toBe('第 1 次钉钉调用已应答：已送达 18，无效 2，被过滤 0，被限流 1');
    expect(title(2)).toBe('第 2 次钉钉调用失败（调用频率受限）');
    expect(title(9)).toBe('dev-admin 取消了发送：147 批中 2940 位接收人已取消，40 位正在发送中');
    expect(title(10)).toBe('发送完成：已送达 58，无效 2');
    expect(title(17)).toBe('撤回完成：已撤回 55，撤回失败 3');
  });

  it('survives details it does not expect', () => {
    const t = createTestI18n('en-US').t;
    expect(describeSendEvent(t, event('batch.attempt', {})).title).toBe('DingTalk call #0 failed ()');
    expect(describeSendEvent(t, event('send.completed', { recipients: null })).title).toBe('Completed: no recipients');
  });
});
