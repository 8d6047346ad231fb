import type { ChatConfigurationResponse } from '@dingrelay/contracts/client';
import { formatMap, formatTime } from '../format.js';
import { type Column, renderFields } from '../table.js';

export const CONFIGURATION_COLUMNS: Column<ChatConfigurationResponse>[] = [
  { header: 'NAME', value: (c) => c.name },
  { header: 'TYPE', value: (c) => c.type },
  { header: 'STATUS', value: (c) => c.status },
  { header: 'CLIENT ID', value: (c) => c.configuration.clientId },
  { header: 'SECRET', value: (c) => c.configuration.clientSecret },
  { header: 'ROBOT', value: (c) => c.configuration.robotCode },
  { header: 'CALLS/S', value: (c) => c.configuration.callsPerSecond, align: 'right' },
  { header: 'TAGS', value: (c) => formatMap(c.tags), maxWidth: 40 },
];

/** Secrets appear as the API answers them: masked, except the AesKey and token of a creation response (shown once). */
export function renderConfiguration(c: ChatConfigurationResponse, created = false): string {
  const text = renderFields([
    ['name', c.name],
    ['type', c.type],
    ['status', c.status],
    ['client id', c.configuration.clientId],
    ['client secret', c.configuration.clientSecret],
    ['robot code', c.configuration.robotCode],
    ['template id', c.configuration.templateId],
    ['calls per second', c.configuration.callsPerSecond],
    ['pace utilization', c.configuration.paceUtilization],
    ['monthly call quota', c.configuration.monthlyCallQuota],
    ['tags', formatMap(c.tags)],
    ['ram role', c.ramRole],
    ['resource group', c.resourceGroupId],
    ['callback url', c.outputs.url],
    ['aes key', c.outputs.aesKey],
    ['callback token', c.outputs.callbackToken],
    ['created', formatTime(c.createdAt)],
    ['updated', formatTime(c.updatedAt)],
  ]);
  return created ? `${text}\nThe aes key and callback token are shown in full this once; configure them in DingTalk now.\n` : text;
}
