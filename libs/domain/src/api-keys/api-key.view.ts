import type { ApiKeyRole } from '@dingrelay/contracts';
import type { ApiKeyEntity } from '../persistence/entities/api-key.entity.js';

/** An API key as the use-cases hand it out: everything but the hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  role: ApiKeyRole;
  chatConfigurations: string[] | null;
  prefix: string;
  createdAt: Date;
  createdBy: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export function toApiKeyView(row: ApiKeyEntity): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    chatConfigurations: row.chatConfigurations,
    prefix: row.prefix,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

/** Active: neither revoked nor past its expiry at `now`. */
export function isApiKeyActive(key: Pick<ApiKeyView, 'revokedAt' | 'expiresAt'>, now: Date): boolean {
  return key.revokedAt === null && (key.expiresAt === null || key.expiresAt.getTime() > now.getTime());
}
