import type { ChatConfigurationStatus, ChatConfigurationType } from '@dingrelay/contracts';
import type { ChatConfigurationEntity } from '../persistence/entities/chat-configuration.entity.js';

/** A configuration as use-cases answer it: no secret, except the generated callback secrets right after creation. */
export interface ChatConfigurationView {
  name: string;
  type: ChatConfigurationType;
  status: ChatConfigurationStatus;
  ramRole: string | null;
  resourceGroupId: string | null;
  tags: Record<string, string>;
  clientId: string | null;
  hasClientSecret: boolean;
  robotCode: string | null;
  templateId: string | null;
  callsPerSecond: number | null;
  paceUtilization: number | null;
  monthlyCallQuota: number | null;
  /** Path of the configuration's inbound callback, relative to the API's public URL. */
  callbackPath: string;
  createdAt: Date;
  updatedAt: Date;
  /** Only in the creation result: the generated §9.4 secrets, shown this once (like a new API key). */
  revealed?: { aesKey: string; callbackToken: string };
}

/** Where DingTalk posts a configuration's messages (the inbound-callback route). */
export function callbackPathOf(name: string): string {
  return `/v1/callbacks/dingtalk/${encodeURIComponent(name)}`;
}

export function toChatConfigurationView(row: ChatConfigurationEntity): ChatConfigurationView {
  return {
    name: row.name,
    type: row.type,
    status: row.status,
    ramRole: row.ramRole,
    resourceGroupId: row.resourceGroupId,
    tags: row.tags ?? {},
    clientId: row.clientId,
    hasClientSecret: row.clientSecretEncrypted !== null,
    robotCode: row.robotCode,
    templateId: row.templateId,
    callsPerSecond: row.callsPerSecond,
    paceUtilization: row.paceUtilization,
    monthlyCallQuota: row.monthlyCallQuota,
    callbackPath: callbackPathOf(row.name),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
