import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditActor } from './audit-actor.js';

export const AuditOutcome = { Succeeded: 'succeeded', Failed: 'failed' } as const;
export type AuditOutcome = (typeof AuditOutcome)[keyof typeof AuditOutcome];

export interface AuditEventInput {
  actor: AuditActor;
  /** Dotted: `send.create`, `send.cancel`, `chat-configuration.update`, `retention.purge`, … */
  action: string;
  targetType: string;
  targetId: string;
  outcome?: AuditOutcome;
  /** What changed, never secrets. */
  details?: Record<string, unknown>;
}

/**
 * Writes audit events. Called with the manager of the change's own transaction, so the change and its record commit
 * or roll back together; the table refuses UPDATE, DELETE and TRUNCATE (see the migration).
 */
@Injectable()
export class AuditTrail {
  async record(manager: EntityManager, event: AuditEventInput): Promise<void> {
    await manager.query(
      `INSERT INTO audit_events (actor_key_id, actor_name, actor_role, action, target_type, target_id, request_id, outcome, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        event.actor.apiKeyId,
        event.actor.name,
        event.actor.role,
        event.action,
        event.targetType,
        event.targetId,
        event.actor.requestId,
        event.outcome ?? AuditOutcome.Succeeded,
        JSON.stringify(event.details ?? {}),
      ],
    );
  }
}
