import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { ConflictError, NotFoundError } from '../errors/domain.error.js';
import { isUuid } from '../ids/uuid.js';
import { ApiKeyEntity } from '../persistence/entities/api-key.entity.js';
import { type ApiKeyView, isApiKeyActive, toApiKeyView } from './api-key.view.js';

/** Serialises revocations of admin keys, so two at once can't both leave the other as "the last one". */
const ADMIN_REVOCATION_LOCK = `hashtext('dingrelay:api-keys:admin-revocation')`;

/**
 * Revokes a key at once (the next request with it gets 401). Revoking a revoked key changes nothing. The last active
 * admin key can't be revoked: that would lock every administrator out.
 */
@Injectable()
export class RevokeApiKeyUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  /** A refusal (no such key, the last admin key) is audited as failed, as every refused change is. */
  async execute(command: { id: string; actor: AuditActor }): Promise<ApiKeyView> {
    try {
      return await this.revoke(command);
    } catch (error) {
      const event = { actor: command.actor, action: 'api-key.revoke', targetType: 'api-key', targetId: command.id };
      await this.audit.recordRefusal(this.dataSource.manager, event, error);
      throw error;
    }
  }

  private revoke(command: { id: string; actor: AuditActor }): Promise<ApiKeyView> {
    return this.dataSource.transaction(async (manager) => {
      const key = isUuid(command.id) ? await manager.findOne(ApiKeyEntity, { where: { id: command.id }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!key) throw new NotFoundError('API key', command.id);
      if (key.revokedAt) return toApiKeyView(key);

      if (key.role === 'admin' && isApiKeyActive(key, new Date())) {
        await manager.query(`SELECT pg_advisory_xact_lock(${ADMIN_REVOCATION_LOCK})`);
        const [{ others }]: { others: number }[] = await manager.query(
          `SELECT count(*)::int AS others FROM api_keys
            WHERE role = 'admin' AND id <> $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
          [key.id],
        );
        if (others === 0) {
          throw new ConflictError('This is the last active admin key; create another admin key before revoking it', [
            { field: 'id', message: 'is the last active admin key' },
          ]);
        }
      }

      await manager.update(ApiKeyEntity, { id: key.id }, { revokedAt: () => 'now()' });
      await this.audit.record(manager, {
        actor: command.actor,
        action: 'api-key.revoke',
        targetType: 'api-key',
        targetId: key.id,
        details: { name: key.name, role: key.role, prefix: key.prefix },
      });
      return toApiKeyView(await manager.findOneByOrFail(ApiKeyEntity, { id: key.id }));
    });
  }
}
