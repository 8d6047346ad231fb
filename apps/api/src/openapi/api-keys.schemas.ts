import { API_KEY_ROLES } from '@dingrelay/contracts';
import type { SchemaObject } from './send.schemas.js';

/** contracts' ApiKeyResponse: a key as listed, never its secret. */
export const apiKeySchema: SchemaObject = {
  type: 'object',
  required: ['id', 'name', 'role', 'chatConfigurations', 'prefix', 'createdAt', 'createdBy', 'expiresAt', 'revokedAt', 'lastUsedAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    role: { type: 'string', enum: [...API_KEY_ROLES] },
    chatConfigurations: {
      type: 'array',
      nullable: true,
      items: { type: 'string' },
      description: 'Senders: the chat configurations the key may use; null for admins and auditors (every configuration)',
    },
    prefix: { type: 'string', example: 'drk_0123456789ab_', description: 'The non-secret start of the key' },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: 'string' },
    expiresAt: { type: 'string', format: 'date-time', nullable: true },
    revokedAt: { type: 'string', format: 'date-time', nullable: true },
    lastUsedAt: { type: 'string', format: 'date-time', nullable: true, description: 'To the minute' },
  },
};
