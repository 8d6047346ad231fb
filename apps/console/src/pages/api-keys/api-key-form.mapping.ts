import type { ApiKeyRole, CreateApiKeyRequest } from '@dingrelay/contracts/client';
import type { Dayjs } from 'dayjs';

/** The API's rules for a key's name (`CreateApiKeyRequest`), mirrored to check it before sending. */
export const API_KEY_NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} ._@:/-]*$/u;
export const MAX_API_KEY_NAME_LENGTH = 100;
export const MAX_API_KEY_SCOPE_SIZE = 100;

export interface ApiKeyFormValues {
  name?: string;
  role?: ApiKeyRole;
  /** Senders only: the chat configurations the key may send through. */
  chatConfigurations?: string[];
  /** Picked in the user's time zone; sent as ISO-8601 with that zone's offset. */
  expiresAt?: Dayjs | null;
}

/** Only sender keys are scoped: the API requires a scope for them and refuses one for admins and auditors. */
export function isScoped(role: ApiKeyRole | undefined): boolean {
  return role === 'sender';
}

/** `POST /v1/api-keys`: the scope only for a sender (whatever the hidden field still holds), expiry only when set. */
export function toCreateApiKeyRequest(values: ApiKeyFormValues): CreateApiKeyRequest {
  const request: CreateApiKeyRequest = { name: values.name?.trim() ?? '', role: values.role ?? 'auditor' };
  if (isScoped(values.role)) request.chatConfigurations = [...new Set(values.chatConfigurations ?? [])];
  if (values.expiresAt) request.expiresAt = values.expiresAt.format('YYYY-MM-DDTHH:mm:ssZ');
  return request;
}
