import type { EntityManager } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor.js';
import { AuditOutcome, type AuditTrail } from '../audit/audit-trail.js';
import type { DomainError } from '../errors/domain.error.js';
import { type AppliedPluginEntry, ChatConfigurationPluginsEntity } from '../persistence/entities/chat-configuration-plugins.entity.js';

export type PluginsAction = 'set' | 'clear';

export interface AppliedPluginsView {
  action: PluginsAction;
  plugins: AppliedPluginEntry[];
  appliedAt: Date;
  appliedBy: string;
}

export interface PluginsChangeResult {
  chatConfiguration: string;
  robotCode: string;
  applied: AppliedPluginsView;
}

export const PLUGINS_AUDIT_TARGET = 'chat-configuration';

export function toAppliedView(row: ChatConfigurationPluginsEntity): AppliedPluginsView {
  return { action: row.lastAction, plugins: row.entries, appliedAt: row.appliedAt, appliedBy: row.appliedBy };
}

/** Writes what DingTalk accepted and its audit event in one transaction (both or neither). */
export async function recordApplied(
  tx: EntityManager,
  audit: AuditTrail,
  change: { chatConfiguration: string; robotCode: string; action: PluginsAction; entries: AppliedPluginEntry[]; actor: AuditActor },
): Promise<ChatConfigurationPluginsEntity> {
  const row = tx.getRepository(ChatConfigurationPluginsEntity).create({
    chatConfiguration: change.chatConfiguration,
    robotCode: change.robotCode,
    lastAction: change.action,
    entries: change.entries,
    appliedAt: new Date(),
    appliedBy: change.actor.name,
    appliedByKeyId: change.actor.apiKeyId,
  });
  await tx.getRepository(ChatConfigurationPluginsEntity).save(row);
  await audit.record(tx, {
    actor: change.actor,
    action: `plugins.${change.action}`,
    targetType: PLUGINS_AUDIT_TARGET,
    targetId: change.chatConfiguration,
    details: { robotCode: change.robotCode, plugins: change.entries.length, entries: change.entries },
  });
  return row;
}

/** A refused change is audited too (its own transaction; nothing else was written). */
export async function recordRefused(
  tx: EntityManager,
  audit: AuditTrail,
  change: { chatConfiguration: string; action: PluginsAction; actor: AuditActor; error: DomainError },
): Promise<void> {
  await audit.record(tx, {
    actor: change.actor,
    action: `plugins.${change.action}`,
    targetType: PLUGINS_AUDIT_TARGET,
    targetId: change.chatConfiguration,
    outcome: AuditOutcome.Failed,
    details: { code: change.error.code, reason: change.error.message, dingtalk: change.error.details },
  });
}
