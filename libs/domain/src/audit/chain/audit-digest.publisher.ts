import { appendFile } from 'node:fs/promises';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AuditDigestDocument } from '@dingrelay/contracts';
import { AuditChainRepository } from './audit-chain.repository.js';
import { AUDIT_CHAIN_SETTINGS, type AuditChainSettings } from './audit-chain.settings.js';
import { signAuditDigest } from './audit-digest.js';
import { GENESIS_HASH } from './audit-event-canonical.js';

/**
 * Publishes a signed digest of the audit chain (its length, its newest hash, the time) at start and then every
 * interval, to places outside the database the operator chose: a log line always, a file (appended, one JSON document
 * a line) and/or a URL (POSTed). Kept there, a digest lets `verify` detect even a superuser who rewrote and re-hashed
 * the tail of the chain, or cut it off. Each worker process publishes its own; a failed write is logged and retried at
 * the next interval.
 */
@Injectable()
export class AuditDigestPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditDigest');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly chain: AuditChainRepository,
    @Inject(AUDIT_CHAIN_SETTINGS) private readonly settings: AuditChainSettings,
  ) {}

  onApplicationBootstrap(): void {
    const publish = this.settings.publish;
    if (!publish) return;
    if (!this.settings.digestKey) {
      this.logger.warn('audit digests are off: AUDIT_DIGEST_KEY is not set (it is required in production)');
      return;
    }
    const tick = () => {
      this.running = this.publishOnce().catch((error: unknown) => this.logger.error(`audit digest not published: ${(error as Error).message}`));
    };
    tick();
    this.timer = setInterval(tick, publish.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Takes and publishes one digest; resolves with it once every destination has been tried. */
  async publishOnce(): Promise<AuditDigestDocument> {
    const key = this.settings.digestKey;
    if (!key) throw new Error('AUDIT_DIGEST_KEY is not set');
    const head = await this.chain.head();
    const digest = signAuditDigest(key, {
      count: head ? Number(head.position) : 0,
      hash: head?.hash ?? GENESIS_HASH,
      at: new Date().toISOString(),
    });
    const line = JSON.stringify(digest);
    this.logger.log(`audit digest ${line}`);
    const { file, url } = this.settings.publish ?? {};
    const results = await Promise.allSettled([
      file ? appendFile(file, `${line}\n`, { mode: 0o600 }) : undefined,
      url ? postDigest(url, line) : undefined,
    ]);
    for (const [i, result] of results.entries()) {
      if (result.status === 'rejected') {
        this.logger.error(`audit digest not written to ${i === 0 ? 'AUDIT_DIGEST_FILE' : 'AUDIT_DIGEST_URL'}: ${(result.reason as Error).message}`);
      }
    }
    return digest;
  }
}

async function postDigest(url: string, body: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`answered ${response.status}`);
}
