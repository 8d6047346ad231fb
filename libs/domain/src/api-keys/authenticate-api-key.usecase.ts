import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiKeyEntity } from '../persistence/entities/api-key.entity.js';
import { apiKeyMatches, apiKeyPrefix } from './api-key-secret.js';
import { type ApiKeyView, toApiKeyView } from './api-key.view.js';

export type ApiKeyRejection = 'malformed' | 'unknown' | 'revoked' | 'expired';

export type Authentication = { ok: true; apiKey: ApiKeyView } | { ok: false; reason: ApiKeyRejection };

/** last_used_at is for "is this key still in use?", not an access log: one write per key per minute at most. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Who a presented key is: one indexed lookup by its prefix, then a constant-time comparison of hashes. No cache, so
 * a revocation takes effect on the very next request.
 */
@Injectable()
export class AuthenticateApiKeyUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute(key: string): Promise<Authentication> {
    const prefix = apiKeyPrefix(key);
    if (!prefix) return { ok: false, reason: 'malformed' };
    const row = await this.dataSource.getRepository(ApiKeyEntity).findOneBy({ prefix });
    if (!row || !apiKeyMatches(key, row.secretHash)) return { ok: false, reason: 'unknown' };
    if (row.revokedAt) return { ok: false, reason: 'revoked' };
    const now = new Date();
    if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.dataSource.query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1`, [row.id]);
      row.lastUsedAt = now;
    }
    return { ok: true, apiKey: toApiKeyView(row) };
  }
}
