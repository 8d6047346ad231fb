import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { systemActor } from '../audit/audit-actor.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { InvalidInputError } from '../errors/domain.error.js';
import { API_KEY_FORMAT_DESCRIPTION } from './api-key-secret.js';
import { insertApiKey, secretOf } from './create-api-key.usecase.js';

export type BootstrapOutcome = 'created' | 'admin-exists' | 'revoked';

/** Serialises bootstraps of API processes starting together: one of them creates the key, the others see it. */
const BOOTSTRAP_LOCK = `hashtext('dingrelay:api-keys:bootstrap')`;

/**
 * The first admin key, chosen by the operator (BOOTSTRAP_ADMIN_API_KEY): stored hashed when no active admin key
 * exists. A bootstrap key that was revoked stays revoked, even when it was the last admin.
 */
@Injectable()
export class BootstrapAdminKeyUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  async execute(key: string, name = 'bootstrap-admin'): Promise<BootstrapOutcome> {
    const secret = secretOf(key);
    if (!secret) throw new InvalidInputError('BOOTSTRAP_ADMIN_API_KEY', `must be ${API_KEY_FORMAT_DESCRIPTION}`);
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
      const admins: unknown[] = await manager.query(
        `SELECT 1 FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) LIMIT 1`,
      );
      if (admins.length > 0) return 'admin-exists';
      const known: unknown[] = await manager.query(`SELECT 1 FROM api_keys WHERE prefix = $1`, [secret.prefix]);
      if (known.length > 0) return 'revoked';
      await insertApiKey(manager, this.audit, { name, role: 'admin', actor: systemActor('bootstrap') }, secret);
      return 'created';
    });
  }
}
