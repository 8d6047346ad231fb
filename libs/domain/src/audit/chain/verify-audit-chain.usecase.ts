import { Inject, Injectable } from '@nestjs/common';
import type { AuditChainVerification } from '@dingrelay/contracts';
import { AuditChainRepository } from './audit-chain.repository.js';
import { AUDIT_CHAIN_SETTINGS, type AuditChainSettings } from './audit-chain.settings.js';
import { auditDigestSignatureValid } from './audit-digest.js';
import { type AuditChainLink, auditEventHash, GENESIS_HASH } from './audit-event-canonical.js';

export interface VerifyAuditChainInput {
  /** A published digest to hold the chain to (`at` and `signature` only for checking its signature). */
  digest?: { count: number; hash: string; at?: string; signature?: string };
}

type Broken = NonNullable<AuditChainVerification['firstBroken']>;

/**
 * Recomputes the audit chain from the first event, a keyset page at a time (memory stays flat on any length), and
 * names the first link that does not hold: an event whose content no longer hashes to its stored hash (edited), one
 * that does not point at the hash before it (edited or re-ordered), a position skipped (deleted), or, against a
 * digest, a different hash at the digest's position (rewritten and re-hashed) or a chain that ends before it
 * (truncated). Only the stored text is trusted, never the database's functions: the hashing is done here.
 */
@Injectable()
export class VerifyAuditChainUseCase {
  constructor(
    private readonly chain: AuditChainRepository,
    @Inject(AUDIT_CHAIN_SETTINGS) private readonly settings: AuditChainSettings,
  ) {}

  async execute(input: VerifyAuditChainInput = {}): Promise<AuditChainVerification> {
    const head = await this.chain.head();
    const digest = input.digest;
    const pageSize = this.settings.verifyPageSize ?? 2_000;
    let expectedPosition = 1n;
    let previous = GENESIS_HASH;
    let checked = 0;
    let firstBroken: Broken | null = null;

    pages: for (;;) {
      const page = await this.chain.page(expectedPosition - 1n, pageSize);
      for (const link of page) {
        firstBroken = brokenLink(link, expectedPosition, previous) ?? (digest ? digestMismatch(link, digest) : null);
        if (firstBroken) break pages;
        checked += 1;
        previous = link.hash;
        expectedPosition += 1n;
      }
      if (page.length < pageSize) break;
    }
    if (!firstBroken && digest && BigInt(digest.count) >= expectedPosition) {
      firstBroken = {
        reason: 'truncated',
        eventId: null,
        position: Number(expectedPosition),
        expectedHash: digest.hash,
        foundHash: null,
        message: `the digest covers ${digest.count} events but the chain ends after ${checked}: events from position ${expectedPosition} on are gone`,
      };
    }
    return {
      intact: firstBroken === null,
      checked,
      head: head ? { position: Number(head.position), hash: head.hash } : null,
      firstBroken,
      digest: digest ? { count: digest.count, hash: digest.hash, signature: this.signatureStatus(digest) } : null,
    };
  }

  private signatureStatus(digest: NonNullable<VerifyAuditChainInput['digest']>): 'valid' | 'invalid' | 'unchecked' {
    if (!this.settings.digestKey || !digest.at || !digest.signature) return 'unchecked';
    const valid = auditDigestSignatureValid(this.settings.digestKey, { count: digest.count, hash: digest.hash, at: digest.at }, digest.signature);
    return valid ? 'valid' : 'invalid';
  }
}

/** What is wrong with `link` as the event at `position` following `previous`, or null. */
function brokenLink(link: AuditChainLink, position: bigint, previous: string): Broken | null {
  const found = BigInt(link.chainPosition);
  if (found !== position) {
    const missing = found - position === 1n ? `position ${position}` : `positions ${position}–${found - 1n}`;
    return {
      reason: 'missing',
      eventId: link.id,
      position: Number(position),
      expectedHash: previous,
      foundHash: link.prevHash,
      message: `the event at ${missing} is missing: the next one (id ${link.id}) is at position ${found}`,
    };
  }
  if (link.prevHash !== previous) {
    return {
      reason: 'link',
      eventId: link.id,
      position: Number(position),
      expectedHash: previous,
      foundHash: link.prevHash,
      message: `event ${link.id} at position ${position} does not point at the hash of the event before it`,
    };
  }
  const computed = auditEventHash(link);
  if (computed !== link.hash) {
    return {
      reason: 'content',
      eventId: link.id,
      position: Number(position),
      expectedHash: computed,
      foundHash: link.hash,
      message: `event ${link.id} at position ${position} was changed: its content hashes to ${computed}, it stores ${link.hash}`,
    };
  }
  return null;
}

function digestMismatch(link: AuditChainLink, digest: { count: number; hash: string }): Broken | null {
  if (link.chainPosition !== String(digest.count) || link.hash === digest.hash) return null;
  return {
    reason: 'digest',
    eventId: link.id,
    position: digest.count,
    expectedHash: digest.hash,
    foundHash: link.hash,
    message: `event ${link.id} at position ${digest.count} has a hash other than the digest's: the chain up to it was rewritten`,
  };
}
