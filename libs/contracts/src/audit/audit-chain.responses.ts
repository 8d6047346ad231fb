/** Why a link of the audit chain is broken. */
export const AUDIT_CHAIN_BREAKS = ['content', 'link', 'missing', 'digest', 'truncated'] as const;
export type AuditChainBreak = (typeof AUDIT_CHAIN_BREAKS)[number];

/** A digest of the chain as the worker publishes it (AUDIT_DIGEST_FILE, AUDIT_DIGEST_URL, its log). */
export interface AuditDigestDocument {
  type: 'dingrelay.audit-digest';
  version: 1;
  /** Events in the chain; the last one's position. */
  count: number;
  /** That event's hash (64 zeros for an empty chain). */
  hash: string;
  at: string;
  /** HMAC-SHA256 of `dingrelay.audit-digest.v1\n<count>\n<hash>\n<at>` with AUDIT_DIGEST_KEY, hex. */
  signature: string;
}

/** `GET /v1/audit-events/verify` */
export interface AuditChainVerification {
  /** True when every event links to the one before and hashes to what it stores (and matches the digest, if given). */
  intact: boolean;
  /** Events checked, from the first: all of them when intact, else up to the first broken link. */
  checked: number;
  /** The newest event when the check started: its position and hash (null while the log is empty). */
  head: { position: number; hash: string } | null;
  /** The first broken link, or null. */
  firstBroken: {
    reason: AuditChainBreak;
    /** The event found where the break is; null when there is none (the chain ends before the digest's count). */
    eventId: string | null;
    position: number;
    expectedHash: string;
    foundHash: string | null;
    message: string;
  } | null;
  /** Given a digest: whether its signature is valid (`unchecked` without AUDIT_DIGEST_KEY or `at`/`signature`). */
  digest: { count: number; hash: string; signature: 'valid' | 'invalid' | 'unchecked' } | null;
}
