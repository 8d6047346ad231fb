import {
  DingTalkApiError,
  type DingTalkError,
  DingTalkRequestError,
  DingTalkTransportError,
  minRetryDelayMs,
  RetryClass,
  retryDelayMs,
} from '@dingrelay/dingtalk-client';

/** What a failed readStatus or batchRecall call means for the scanner that made it. */
export interface FollowUpFailure {
  /** DingTalk's code, or a namespaced one saying what failed on our side of the wire. */
  code: string;
  message: string;
  /** Worth trying again later (throttling, busy, no answer); readStatus and batchRecall are safe to repeat. */
  retryable: boolean;
  /** DingTalk throttled the app: every worker should hold its calls on this API back for `holdMs`. */
  throttled: boolean;
  holdMs: number;
  /** Whether DingTalk counts the call towards the monthly quota (spec §8.1: throttled and lost calls are free). */
  billable: boolean;
}

export function describeFollowUpFailure(error: DingTalkError, attempt: number, baseDelayMs: number, maxDelayMs: number): FollowUpFailure & { delayMs: number } {
  let code = 'dingrelay.dingtalkError';
  let message = error.message;
  if (error instanceof DingTalkApiError) {
    code = error.code ?? `http.${error.httpStatus}`;
    message = error.dingTalkMessage ?? error.message;
  } else if (error instanceof DingTalkRequestError) code = error.code;
  else if (error instanceof DingTalkTransportError) code = `dingrelay.transport.${error.failure}`;
  const throttled = error.retryClass === RetryClass.QpsThrottle || error.retryClass === RetryClass.RateLimited;
  const retryable =
    throttled ||
    error.retryClass === RetryClass.Transient ||
    error.retryClass === RetryClass.Ambiguous ||
    error.retryClass === RetryClass.IpBlocked;
  return {
    code,
    message,
    retryable,
    throttled,
    holdMs: throttled ? Math.min(minRetryDelayMs(error.retryClass, code), maxDelayMs) : 0,
    billable: error instanceof DingTalkApiError && error.retryClass !== RetryClass.QpsThrottle,
    delayMs: retryable ? Math.max(baseDelayMs, retryDelayMs(error.retryClass, attempt, code, maxDelayMs)) : 0,
  };
}
