import { ApiErrorCode } from '@dingrelay/contracts';
import { DingTalkApiError, DingTalkError, DingTalkRequestError, minRetryDelayMs, RetryClass } from '@dingrelay/dingtalk-client';
import { ConflictError, DomainError } from '../errors/domain.error.js';

/** DingTalk refused a synchronous call; the request or the configuration must change. `details` carry its code. */
export class DingTalkRejectedError extends DomainError {
  constructor(message: string, field: string, dingTalkCode: string) {
    super(ApiErrorCode.DingTalkRejected, message, [{ field, message: `DingTalk answered ${dingTalkCode}` }]);
  }
}

/** DingTalk failed, throttled or did not answer a synchronous call; the caller retries later (503 + Retry-After). */
export class DingTalkUnavailableError extends DomainError {
  /** The Retry-After to answer with: how long DingTalk's answer says to wait (a QPM throttle: a minute). */
  readonly retryAfterSeconds: number;

  constructor(message: string, dingTalkCode?: string, retryAfterMs = 1_000) {
    super(ApiErrorCode.DingTalkUnavailable, message, dingTalkCode ? [{ field: 'dingtalk', message: `DingTalk answered ${dingTalkCode}` }] : []);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  }
}

/**
 * How DingTalk's answers to a synchronous call (quick entries, spec §6) reach an API caller:
 *
 * | DingTalk                                                               | API                          |
 * |------------------------------------------------------------------------|------------------------------|
 * | `invalidRequest.robotIsStop` (robot disabled by the organization)      | 409 CONFLICT                 |
 * | `invalidRequest.robotNotExist`, `invalidRequest.robotCodeNotMatch`     | 422 DINGTALK_REJECTED robotCode |
 * | `invalidRequest.exceededMaximumLimit`                                  | 422 DINGTALK_REJECTED plugins |
 * | `param.illegal`, `invalidRequest.jsonFormatErroj`, other permanent 4xx | 422 DINGTALK_REJECTED        |
 * | token/credential refusals (after the client's one re-fetch)            | 422 DINGTALK_REJECTED credentials |
 * | monthly quota spent (`ApiCountLimitForOrg`)                            | 422 DINGTALK_REJECTED        |
 * | `system.error`, `invalidRequest.pluginInstallFail`, 429/5xx, QPS throttling, no answer | 503 DINGTALK_UNAVAILABLE + Retry-After (the retry class's wait) |
 */
export function toDingTalkCallError(err: unknown, operation: string): DomainError {
  if (!(err instanceof DingTalkError)) throw err;
  const code = err instanceof DingTalkApiError || err instanceof DingTalkRequestError ? (err.code ?? 'no code') : undefined;
  const what = `DingTalk refused ${operation}`;
  if (code === 'invalidRequest.robotIsStop') {
    return new ConflictError(`${what}: the organization has disabled this robot`, [{ field: 'robotCode', message: `DingTalk answered ${code}` }]);
  }
  if (code === 'invalidRequest.robotNotExist') return new DingTalkRejectedError(`${what}: the robot does not exist`, 'robotCode', code);
  if (code === 'invalidRequest.robotCodeNotMatch') {
    return new DingTalkRejectedError(`${what}: the robot belongs to another DingTalk app than the configuration's`, 'robotCode', code);
  }
  if (code === 'invalidRequest.exceededMaximumLimit') {
    return new DingTalkRejectedError(`${what}: more quick entries than DingTalk allows this robot`, 'plugins', code);
  }
  if (code === 'invalidRequest.pluginInstallFail') {
    return new DingTalkUnavailableError(`DingTalk failed to install the quick entries; retry later`, code, minRetryDelayMs(err.retryClass, code));
  }
  switch (err.retryClass) {
    case RetryClass.Transient:
    case RetryClass.QpsThrottle:
    case RetryClass.RateLimited:
    case RetryClass.Ambiguous:
    case RetryClass.IpBlocked:
      return new DingTalkUnavailableError(`DingTalk could not complete ${operation}; retry later`, code, minRetryDelayMs(err.retryClass, code));
    case RetryClass.Auth:
      return new DingTalkRejectedError(`${what}: the configuration's credentials were not accepted`, 'credentials', code ?? 'auth');
    default:
      if (code === 'invalidClientIdOrSecret') {
        return new DingTalkRejectedError(`${what}: the configuration's client id or secret is wrong`, 'credentials', code);
      }
      return new DingTalkRejectedError(`${what}: ${code ?? 'unexpected answer'}`, 'dingtalk', code ?? 'unknown');
  }
}
