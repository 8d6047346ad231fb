import type { IsoDateTime } from '../sends/send.responses.js';
import type { ApiKeyRole } from './api-key.requests.js';

/** An API key as listed: never its secret, only the non-secret prefix that identifies it in logs and the key itself. */
export interface ApiKeyResponse {
  id: string;
  name: string;
  role: ApiKeyRole;
  /** Senders: the configurations they may use; null for admins and auditors (every configuration). */
  chatConfigurations: string[] | null;
  /** The `drk_<prefix>_` part of the key. */
  prefix: string;
  createdAt: IsoDateTime;
  createdBy: string;
  expiresAt: IsoDateTime | null;
  revokedAt: IsoDateTime | null;
  /** Within about a minute: updated at most once a minute per key. */
  lastUsedAt: IsoDateTime | null;
}

/** `POST /v1/api-keys`: the only time the key is ever shown. */
export interface CreatedApiKeyResponse extends ApiKeyResponse {
  key: string;
}

export interface ApiKeyListResponse {
  items: ApiKeyResponse[];
  nextToken: string | null;
}
