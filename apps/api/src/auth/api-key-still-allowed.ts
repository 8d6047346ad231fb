import { Injectable } from '@nestjs/common';
import { DomainError, GetApiKeyUseCase } from '@dingrelay/domain';
import { type Permission, rolesFor } from './access-policy.js';

/**
 * For credentials that outlive the request that made them (download links): whether the key that made one would
 * still be let through now. Read from the database every time, as the guard does, so a revocation applies at once.
 */
@Injectable()
export class ApiKeyStillAllowed {
  constructor(private readonly getApiKey: GetApiKeyUseCase) {}

  /** undefined when the key may still do `permission`; otherwise why not, for the log (no secret in it). */
  async check(apiKeyId: string, permission: Permission): Promise<string | undefined> {
    let key;
    try {
      key = await this.getApiKey.execute(apiKeyId);
    } catch (error) {
      if (error instanceof DomainError) return 'no longer exists';
      throw error;
    }
    if (key.revokedAt) return 'was revoked';
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) return 'has expired';
    if (!rolesFor(permission).includes(key.role)) return `has role ${key.role}, which may not do ${permission}`;
    return undefined;
  }
}
