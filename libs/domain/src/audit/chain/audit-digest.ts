import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditDigestDocument } from '@dingrelay/contracts';

/** What a digest says: the chain held `count` events, the last with `hash`, at `at`. */
export interface AuditDigestClaim {
  count: number;
  hash: string;
  at: string;
}

/** The bytes the signature covers: one line per field, after a tag naming the form. */
export function digestSigningInput(claim: AuditDigestClaim): string {
  return `dingrelay.audit-digest.v1\n${claim.count}\n${claim.hash}\n${claim.at}`;
}

/** HMAC-SHA256 with AUDIT_DIGEST_KEY (its UTF-8 bytes), hex. */
export function signAuditDigest(key: string, claim: AuditDigestClaim): AuditDigestDocument {
  return {
    type: 'dingrelay.audit-digest',
    version: 1,
    count: claim.count,
    hash: claim.hash,
    at: claim.at,
    signature: createHmac('sha256', key).update(digestSigningInput(claim), 'utf8').digest('hex'),
  };
}

export function auditDigestSignatureValid(key: string, claim: AuditDigestClaim, signature: string): boolean {
  const expected = Buffer.from(signAuditDigest(key, claim).signature, 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
