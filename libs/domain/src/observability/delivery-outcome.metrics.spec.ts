import { RetryClass } from '@dingrelay/dingtalk-client';
import { RetryLaterError } from '../queue/retry-later.error.js';
import { retryReasonOf } from './delivery-outcome.metrics.js';

describe('retryReasonOf: what dingrelay_delivery_retries_total counts', () => {
  it.each([
    [RetryClass.QpsThrottle, 'qps-throttle'],
    [RetryClass.Transient, 'transient'],
    [RetryClass.Ambiguous, 'ambiguous'],
    [RetryClass.RateLimited, 'rate-limited'],
  ])('a failed DingTalk call handed back (%s) counts under its retry class', (retryClass, expected) => {
    expect(retryReasonOf(new RetryLaterError(`${retryClass}: some.code`, 1_000, retryClass))).toBe(expected);
  });

  it('reads the retry class from the hand-back, not from its reason text', () => {
    expect(retryReasonOf(new RetryLaterError('transient: looks like a failed call', 1_000))).toBeUndefined();
    expect(retryReasonOf(new RetryLaterError('no class in this text', 1_000, RetryClass.Auth))).toBe('auth');
  });

  it.each(['paced', 'paused: quota-exhausted', 'worker shutting down', 'unreadable configuration locked'])(
    'a hand-back without a failed call (%s) is no retry',
    (reason) => {
      expect(retryReasonOf(new RetryLaterError(reason, 0))).toBeUndefined();
    },
  );

  it('anything else a job throws is a job error, which Bull retries with backoff', () => {
    expect(retryReasonOf(new Error('Connection terminated unexpectedly'))).toBe('job-error');
  });
});
