import { createHash } from 'node:crypto';

/** `prev_hash` of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** Names the canonical form; a future form gets a new tag, and the chain records which one each event used. */
export const CANONICAL_FORM = 'dingrelay.audit.v1';

/** An audit event's stored fields as text, exactly as the chain covers them. */
export interface AuditChainLink {
  /** bigint, decimal. */
  id: string;
  /** bigint, decimal: 1, 2, 3, … */
  chainPosition: string;
  prevHash: string;
  hash: string;
  /** UTC with microseconds, `YYYY-MM-DDTHH:MM:SS.ffffffZ` (Postgres' `to_char(… AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`). */
  occurredAt: string;
  actorKeyId: string | null;
  actorName: string;
  actorRole: string | null;
  action: string;
  targetType: string;
  targetId: string;
  requestId: string | null;
  outcome: string;
  /** `details::text`: Postgres' own rendering of the jsonb value (keys sorted, one space after `:` and `,`). */
  details: string;
}

/**
 * The canonical content of an event, version 1: a JSON array of strings (or null), without whitespace —
 *
 *   ["dingrelay.audit.v1", position, prev_hash, id, occurred_at, actor_key_id, actor_name, actor_role, action,
 *    target_type, target_id, request_id, outcome, details]
 *
 * numbers in decimal, the time as above, `details` as Postgres renders the jsonb (a string inside the array). JSON
 * string escaping is RFC 8259's minimal one (`"`, `\`, and control characters; `\u00xx` in lower case), which both
 * `JSON.stringify` and Postgres' `to_json(text)` produce. The event's hash is the SHA-256 of its UTF-8 bytes, hex.
 * The database computes the same in `audit_event_canonical` / `audit_event_hash` when it links an event.
 */
export function canonicalAuditEvent(link: Omit<AuditChainLink, 'hash'>): string {
  return JSON.stringify([
    CANONICAL_FORM,
    link.chainPosition,
    link.prevHash,
    link.id,
    link.occurredAt,
    link.actorKeyId,
    link.actorName,
    link.actorRole,
    link.action,
    link.targetType,
    link.targetId,
    link.requestId,
    link.outcome,
    link.details,
  ]);
}

export function auditEventHash(link: Omit<AuditChainLink, 'hash'>): string {
  return createHash('sha256').update(canonicalAuditEvent(link), 'utf8').digest('hex');
}
