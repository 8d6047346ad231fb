import {
  CHAT_CONFIGURATION_NAME_PATTERN,
  CHAT_CONFIGURATION_NAME_RULE,
  ChatConfigurationType,
  type ChatConfigurationStatus,
} from '@dingrelay/contracts';
import type { AuditActor } from '../audit/audit-actor.js';
import { InvalidInputError, NotFoundError } from '../errors/domain.error.js';

/** The DingTalk side of a configuration; null clears an optional field, undefined leaves it as it is. */
export interface DingTalkSettingsInput {
  clientId?: string;
  clientSecret?: string;
  robotCode?: string;
  templateId?: string | null;
  callsPerSecond?: number | null;
  paceUtilization?: number | null;
  monthlyCallQuota?: number | null;
}

export interface ChatConfigurationChanges {
  type?: ChatConfigurationType;
  status?: ChatConfigurationStatus;
  ramRole?: string | null;
  resourceGroupId?: string | null;
  tags?: Record<string, string>;
  dingTalk?: DingTalkSettingsInput;
}

export interface CreateChatConfigurationCommand extends ChatConfigurationChanges {
  actor: AuditActor;
  name: string;
  type: ChatConfigurationType;
}

export interface UpdateChatConfigurationCommand extends ChatConfigurationChanges {
  actor: AuditActor;
  name: string;
}

/** A name that can't exist is reported like an unknown one on reads, and as invalid input on creation. */
export function assertValidName(name: string, field = 'name'): void {
  if (!CHAT_CONFIGURATION_NAME_PATTERN.test(name)) throw new InvalidInputError(field, `must be ${CHAT_CONFIGURATION_NAME_RULE}`);
}

export function assertExistingName(name: string): void {
  if (!CHAT_CONFIGURATION_NAME_PATTERN.test(name)) throw new NotFoundError('Chat configuration', name);
}

/** A DingTalk configuration can only send with its app's id and secret and a robot. */
export function assertDingTalkComplete(
  type: ChatConfigurationType,
  fields: { clientId: string | null; hasClientSecret: boolean; robotCode: string | null },
): void {
  if (type !== ChatConfigurationType.DingTalk) return;
  if (!fields.clientId) throw new InvalidInputError('configuration.clientId', 'is required for a DingTalk configuration');
  if (!fields.hasClientSecret) throw new InvalidInputError('configuration.clientSecret', 'is required for a DingTalk configuration');
  if (!fields.robotCode) throw new InvalidInputError('configuration.robotCode', 'is required for a DingTalk configuration');
}

/** Field names a change touched, for the audit trail (names only: values may be secrets). */
export function changedFields(changes: ChatConfigurationChanges): string[] {
  const fields: string[] = [];
  for (const key of ['type', 'status', 'ramRole', 'resourceGroupId', 'tags'] as const) {
    if (changes[key] !== undefined) fields.push(key);
  }
  for (const [key, value] of Object.entries(changes.dingTalk ?? {})) {
    if (value !== undefined) fields.push(`configuration.${key}`);
  }
  return fields;
}
