import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../errors/domain.error.js';
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

  /**
   * Records a change the caller asked for and was refused (404, 409, 400 from the use-case), with the error's code.
   * Called outside the rolled-back transaction, with any manager (`dataSource.manager`). Unexpected errors are not
   * the caller's doing and go to the logs instead; the caller rethrows either way.
   */
  async recordRefusal(manager: EntityManager, event: AuditEventInput, error: unknown): Promise<void> {
    if (!(error instanceof DomainError)) return;
    await this.record(manager, {
      ...event,
      outcome: AuditOutcome.Failed,
      details: { ...event.details, errorCode: error.code, message: error.message },
    });
  }
}
