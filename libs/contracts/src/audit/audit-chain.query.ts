import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Min, ValidateIf } from 'class-validator';
import { IsIsoDateTimeWithOffset } from '../history/history-time.constraint.js';

/**
 * `GET /v1/audit-events/verify`: recompute the audit log's hash chain. With a digest the worker published (its
 * `count`, `hash`, and optionally `at` and `signature`), also check that the chain still holds that many events and
 * that the event at that position still has that hash: a rewritten or truncated tail fails.
 */
export class VerifyAuditChainQuery {
  /** The digest's `count`: how many events the chain held when it was taken. */
  @ValidateIf((q: VerifyAuditChainQuery) => q.digestCount !== undefined || q.digestHash !== undefined)
  @Type(() => Number)
  @IsInt({ message: 'digestCount must be a whole number (the digest\'s count), given with digestHash' })
  @Min(0)
  digestCount?: number;

  /** The digest's `hash`: the hash of its last event (64 hex digits). */
  @ValidateIf((q: VerifyAuditChainQuery) => q.digestCount !== undefined || q.digestHash !== undefined)
  @Matches(/^[0-9a-f]{64}$/, { message: 'digestHash must be 64 lower-case hex digits (the digest\'s hash), given with digestCount' })
  digestHash?: string;

  /** The digest's `at`; needed to check its signature. */
  @IsOptional()
  @IsIsoDateTimeWithOffset()
  digestAt?: string;

  /** The digest's `signature` (HMAC-SHA256, hex), checked when the server has AUDIT_DIGEST_KEY. */
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'digestSignature must be 64 lower-case hex digits' })
  digestSignature?: string;
}
