import { Inject, Injectable } from '@nestjs/common';
import type { ExportFormat } from '@dingrelay/contracts';
import type { Redis } from 'ioredis';
import { QUEUE_SETTINGS, type QueueSettings } from '../queue/queue.module.js';
import { REDIS_CONNECTION } from '../queue/redis-connection.js';
import type { RecipientHistoryFilterInput, SendHistoryFilterInput } from './history-sql.js';

/** One export as a download link will run it: already validated, with the defaults filled in. */
export type ExportLinkRequest =
  | { export: 'sends'; format: ExportFormat; bom: boolean; filters: SendHistoryFilterInput }
  | { export: 'recipients'; format: ExportFormat; bom: boolean; filters: RecipientHistoryFilterInput };

/** What a link stands for: who created it, and the export. */
export interface StoredExportLink {
  apiKeyId: string;
  request: ExportLinkRequest;
}

/**
 * Download links in Redis, keyed by the SHA-256 of their token (Redis never holds a usable token), each expiring on
 * its own. `take` reads and deletes in one command (GETDEL), so of two requests racing with one token exactly one
 * gets the link.
 */
@Injectable()
export class ExportLinkStore {
  constructor(
    @Inject(REDIS_CONNECTION) private readonly redis: Redis,
    @Inject(QUEUE_SETTINGS) private readonly queue: QueueSettings,
  ) {}

  /** Stores the link under `tokenHash` for `ttlMs`. */
  async save(tokenHash: string, link: StoredExportLink, ttlMs: number): Promise<void> {
    const stored = await this.redis.set(this.key(tokenHash), JSON.stringify(link), 'PX', ttlMs, 'NX');
    // 32 random bytes do not collide; if they ever did, the older link must not be replaced by another export.
    if (stored !== 'OK') throw new Error('an export link with this token already exists');
  }

  /** The link if it is there (unused and unexpired) right now, without consuming it. */
  async peek(tokenHash: string): Promise<StoredExportLink | undefined> {
    const value = await this.redis.get(this.key(tokenHash));
    return value === null ? undefined : (JSON.parse(value) as StoredExportLink);
  }

  /** The link, removed in the same command; undefined when unknown, already used or expired. */
  async take(tokenHash: string): Promise<StoredExportLink | undefined> {
    const value = await this.redis.getdel(this.key(tokenHash));
    return value === null ? undefined : (JSON.parse(value) as StoredExportLink);
  }

  private key(tokenHash: string): string {
    return `${this.queue.prefix}:export-link:${tokenHash}`;
  }
}
