import type { ApiKeyResponse } from '@dingrelay/contracts/client';

/**
 * What the signed-in key may do, mirroring the API's access policy (apps/api/src/auth/access-policy.ts). The console
 * uses it only to show or enable controls: the API decides, and a refusal still shows its 403 message.
 */
export interface Permissions {
  role: ApiKeyResponse['role'];
  /** Create, cancel, recall and refresh read status of sends through `chatConfiguration`. */
  canWriteSend(chatConfiguration: string): boolean;
  /** Sends' history, exports, usage, audit log, inbound messages across every configuration. */
  canReadRecords: boolean;
  /** Chat configurations and their quick entries, read-only. */
  canReadConfigurations: boolean;
  /** Change configurations and quick entries; manage API keys. */
  canAdminister: boolean;
}

export function permissionsOf(key: Pick<ApiKeyResponse, 'role' | 'chatConfigurations'>): Permissions {
  const scope = key.chatConfigurations;
  return {
    role: key.role,
    canWriteSend: (chatConfiguration) =>
      key.role === 'admin' || (key.role === 'sender' && (scope === null || scope.includes(chatConfiguration))),
    canReadRecords: key.role === 'admin' || key.role === 'auditor',
    canReadConfigurations: key.role === 'admin' || key.role === 'auditor',
    canAdminister: key.role === 'admin',
  };
}
