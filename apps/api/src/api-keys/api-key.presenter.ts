import type { ApiKeyListResponse, ApiKeyResponse } from '@dingrelay/contracts';
import type { ApiKeyPage, ApiKeyView } from '@dingrelay/domain';

export function presentApiKey(key: ApiKeyView): ApiKeyResponse {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    chatConfigurations: key.chatConfigurations,
    prefix: `drk_${key.prefix}_`,
    createdAt: key.createdAt.toISOString(),
    createdBy: key.createdBy,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  };
}

export function presentApiKeyPage(page: ApiKeyPage): ApiKeyListResponse {
  return { items: page.items.map(presentApiKey), nextToken: page.nextToken };
}
