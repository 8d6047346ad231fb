import type { ApiKeyRole } from '@dingrelay/contracts';
import type { Request } from 'express';

/** The caller, as the auth guard leaves it on `req.principal`. */
export interface Principal {
  apiKeyId: string;
  name: string;
  role: ApiKeyRole;
  /** The configurations a sender is scoped to; null for every configuration (admins, auditors). */
  chatConfigurations: string[] | null;
}

export type AuthenticatedRequest = Request & { principal?: Principal };

export function principalOf(req: Request): Principal | undefined {
  return (req as AuthenticatedRequest).principal;
}

/** Whether the principal may act through `chatConfiguration`. */
export function principalCanUse(principal: Principal, chatConfiguration: string): boolean {
  return principal.chatConfigurations === null || principal.chatConfigurations.includes(chatConfiguration);
}
