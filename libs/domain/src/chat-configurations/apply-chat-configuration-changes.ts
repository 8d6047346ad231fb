import type { ChatConfigurationEntity } from '../persistence/entities/chat-configuration.entity.js';
import type { ChatConfigurationChanges } from './chat-configuration.commands.js';

/** Copies the non-secret fields of a change onto a row; undefined leaves a field, null clears it. */
export function applyChatConfigurationChanges(row: ChatConfigurationEntity, changes: ChatConfigurationChanges): void {
  if (changes.type !== undefined) row.type = changes.type;
  if (changes.status !== undefined) row.status = changes.status;
  if (changes.ramRole !== undefined) row.ramRole = changes.ramRole;
  if (changes.resourceGroupId !== undefined) row.resourceGroupId = changes.resourceGroupId;
  if (changes.tags !== undefined) row.tags = changes.tags;
  const d = changes.dingTalk;
  if (!d) return;
  if (d.clientId !== undefined) row.clientId = d.clientId;
  if (d.robotCode !== undefined) row.robotCode = d.robotCode;
  if (d.templateId !== undefined) row.templateId = d.templateId;
  if (d.callsPerSecond !== undefined) row.callsPerSecond = d.callsPerSecond;
  if (d.paceUtilization !== undefined) row.paceUtilization = d.paceUtilization;
  if (d.monthlyCallQuota !== undefined) row.monthlyCallQuota = d.monthlyCallQuota;
}
