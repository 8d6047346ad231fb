import { randomInt } from 'node:crypto';
// The /client entry: the plain vocabulary without the validation classes, so this client never loads class-validator.
import { DeliveryPolicy } from '@dingrelay/contracts/client';

/**
 * What a failed DingTalk call means for whoever retries it (spec §8.3). The worker decides from the class alone;
 * it never needs to know DingTalk's individual codes.
 */
export const RetryClass = {
  /** 403 `Forbidden.AccessDenied.Qps*` / `Qpm*`: per-app or global QPS/QPM throttling; not charged to the quota. */
  QpsThrottle: 'qps-throttle',
  /** 400 `send.too.fast` and friends: robot/recipient frequency control; back off for seconds to minutes. */
  RateLimited: 'rate-limited',
  /** The access token was rejected. The client already invalidated it and retried once before surfacing this. */
  Auth: 'auth',
  /** DingTalk said it is busy or failed internally (429, 5xx, `system.error`), or the call never left this host. */
  Transient: 'transient',
  /**
   * The call may have reached DingTalk but no answer came back (timeout or reset after the request was written).
   * Only a non-idempotent call (batchSend) gets this class: re-sending can deliver twice.
   */
  Ambiguous: 'ambiguous',
  /** `Forbidden.AccessDenied.ApiCountLimitForOrg`: the org's monthly call quota is spent. */
  QuotaExhausted: 'quota-exhausted',
  /** DingTalk's per-IP flood guard answered (`{"status":1111,…}` or an HTML page): this host is blocked ≥ 5 min. */
  IpBlocked: 'ip-blocked',
  /** Anything else: the request, the credentials or the robot's configuration must change first. */
  Permanent: 'permanent',
} as const;
export type RetryClass = (typeof RetryClass)[keyof typeof RetryClass];
export const RETRY_CLASSES: readonly RetryClass[] = Object.values(RetryClass);

/**
 * Synthetic `code` the client puts on an IP-block answer, which carries no DingTalk code of its own.
 * Namespaced like contracts' own reasons so it is never mistaken for a code DingTalk sent.
 */
export const IP_BLOCKED_CODE = 'dingrelay.ipBlocked';

const RATE_LIMITED_CODES: ReadonlySet<string> = new Set([
  'send.too.fast',
  'send.byToken.tooFast',
  'too.many.people',
  'too.many.group',
  // DING messages via robot: 6 000 msgs/min per robot (§8.2).
  'toomuch.msg',
]);

const AUTH_CODES: ReadonlySet<string> = new Set([
  'InvalidAuthentication',
  'accesstoken.expired',
  'Unauthorized',
  'authFailed',
  // batchSend's "token does not exist": a token DingTalk has already dropped, so a fresh one can succeed.
  // Its sibling `invalidParameter.token.invalid` ("unauthorized token") is deliberately *not* here: it describes a
  // token without the right to use this robot, and DingTalk hands back the same token while it is valid (§2.1),
  // so a re-fetch could not change the outcome; §8.3 files every `invalidParameter.*` as permanent.
  'token.notExisted',
  // Legacy oapi errcodes (§1.1), in case a caller classifies a legacy answer with the same function.
  '40001',
  '40014',
  '42001',
]);

const TRANSIENT_CODES: ReadonlySet<string> = new Set(['system.busy', 'systemBusy', 'system.error', 'server.error']);

/**
 * Classify one DingTalk error answer. Pure: the worker, tests and other teams can reuse it on recorded
 * (status, code) pairs. Code beats status where both speak, because DingTalk reuses HTTP 400 for throttling
 * (`send.too.fast`), auth (`InvalidAuthentication`) and server failures (`system.error`).
 */
export function classifyDingTalkError(httpStatus: number, code?: string | null): RetryClass {
  const c = code ?? '';
  if (c === IP_BLOCKED_CODE) return RetryClass.IpBlocked;
  if (c.startsWith('Forbidden.AccessDenied.Qps') || c.startsWith('Forbidden.AccessDenied.Qpm')) {
    return RetryClass.QpsThrottle;
  }
  if (c === '90002' || c === '90018') return RetryClass.QpsThrottle;
  if (c === 'Forbidden.AccessDenied.ApiCountLimitForOrg' || c === '90020') return RetryClass.QuotaExhausted;
  if (RATE_LIMITED_CODES.has(c)) return RetryClass.RateLimited;
  if (AUTH_CODES.has(c)) return RetryClass.Auth;
  if (TRANSIENT_CODES.has(c)) return RetryClass.Transient;
  if (c === '') {
    // No code (empty body, proxy page): fall back to what the status alone says.
    if (httpStatus === 401) return RetryClass.Auth;
    if (httpStatus === 408 || httpStatus === 429 || httpStatus >= 500) return RetryClass.Transient;
    return RetryClass.Permanent;
  }
  if (httpStatus === 429 || httpStatus >= 500) return RetryClass.Transient;
  // 401 with an unknown code is still DingTalk refusing the token; `unauthorized.client` (§2.2) is the one 401
  // that means bad app credentials, which no new token can fix.
  if (httpStatus === 401 && c !== 'unauthorized.client') return RetryClass.Auth;
  return RetryClass.Permanent;
}

/** How a retry class should be treated by a scheduler. Delays are floors; add backoff and jitter on top. */
export interface RetryAdvice {
  retryable: boolean;
  minDelayMs: number;
}

const ADVICE: Readonly<Record<RetryClass, RetryAdvice>> = {
  // QPS windows are 1 s (§8.1 guidance: sleep ~1 s then continue).
  [RetryClass.QpsThrottle]: { retryable: true, minDelayMs: 1_000 },
  // Frequency limits for 1:1 messages are unpublished; the spec says "seconds → minutes".
  [RetryClass.RateLimited]: { retryable: true, minDelayMs: 10_000 },
  // The one retry §8.3 allows was spent inside the client with a fresh token; again would fail the same way.
  [RetryClass.Auth]: { retryable: false, minDelayMs: 0 },
  [RetryClass.Transient]: { retryable: true, minDelayMs: 1_000 },
  // Retrying is a policy decision (see isRetryable); when allowed, give DingTalk time to settle first.
  [RetryClass.Ambiguous]: { retryable: true, minDelayMs: 2_000 },
  [RetryClass.QuotaExhausted]: { retryable: false, minDelayMs: 0 },
  // The block lasts 5 minutes and applies to every call from this IP.
  [RetryClass.IpBlocked]: { retryable: true, minDelayMs: 5 * 60_000 },
  [RetryClass.Permanent]: { retryable: false, minDelayMs: 0 },
};

/**
 * Whether a call failing with this class may be made again. An ambiguous batchSend is retryable only under the
 * at-least-once policy; the default is at-most-once so that nothing double-delivers unless a caller opted in.
 */
export function isRetryable(retryClass: RetryClass, deliveryPolicy: DeliveryPolicy = DeliveryPolicy.AtMostOnce): boolean {
  if (retryClass === RetryClass.Ambiguous) return deliveryPolicy === DeliveryPolicy.AtLeastOnce;
  return ADVICE[retryClass].retryable;
}

/**
 * Minimum wait before retrying. QPM throttling (per minute) needs a minute, not a second; `code` refines that.
 */
export function minRetryDelayMs(retryClass: RetryClass, code?: string | null): number {
  if (retryClass === RetryClass.QpsThrottle && code?.startsWith('Forbidden.AccessDenied.Qpm')) return 60_000;
  return ADVICE[retryClass].minDelayMs;
}

export function retryAdvice(retryClass: RetryClass, code?: string | null): RetryAdvice {
  return { retryable: ADVICE[retryClass].retryable, minDelayMs: minRetryDelayMs(retryClass, code) };
}

/**
 * Exponential backoff with full jitter above the class's floor: attempt 1 waits in [floor, 2·floor), attempt n in
 * [floor, floor·2^n), capped. Jitter keeps many workers that were throttled together from returning together.
 */
export function retryDelayMs(retryClass: RetryClass, attempt: number, code?: string | null, capMs = 10 * 60_000): number {
  const floor = Math.max(minRetryDelayMs(retryClass, code), 250);
  const ceiling = Math.min(capMs, floor * 2 ** Math.max(1, Math.min(attempt, 20)));
  if (ceiling <= floor) return Math.min(floor, capMs);
  return floor + randomInt(0, Math.max(1, Math.floor(ceiling - floor)));
}
