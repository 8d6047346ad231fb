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
