import { ApiErrorCode } from '@dingrelay/contracts';
import { DomainError } from '../errors/domain.error.js';

/**
 * A push that does not prove it comes from DingTalk for this configuration: missing, wrong or stale signature, or a
 * configuration that cannot receive it. One message for all, so the public endpoint tells a prober nothing.
 */
export class CallbackUnauthorizedError extends DomainError {
  constructor(readonly reason: string) {
    super(ApiErrorCode.Unauthorized, 'The callback signature was not accepted');
  }
}

/**
 * The replay cache (Redis) could not say whether a push's signature was already used: refused rather than accepted
 * unchecked (fail closed). A 503 with Retry-After; DingTalk pushes again.
 */
export class CallbackReplayCheckUnavailableError extends DomainError {
  readonly retryAfterSeconds = 1;

  constructor() {
    super(ApiErrorCode.ServiceUnavailable, 'The callback cannot be checked for replay right now; push it again shortly');
  }
}
