import { MAX_API_KEY_NAME_LENGTH, MAX_API_KEY_SCOPE_SIZE } from '@dingrelay/contracts';
import { pageOf } from './page.schemas.js';
import type { SchemaObject, SchemaOrRef } from './send.schemas.js';
import { ref } from './schema-ref.js';

const API_KEY_PROPERTIES: Record<string, SchemaOrRef> = {
  id: { type: 'string', format: 'uuid' },
  name: { type: 'string' },
  role: ref('ApiKeyRole'),
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
};
const API_KEY_REQUIRED = Object.keys(API_KEY_PROPERTIES);

/** contracts' ApiKeyResponse: a key as listed, never its secret. */
export const apiKeySchema: SchemaObject = { type: 'object', required: API_KEY_REQUIRED, properties: API_KEY_PROPERTIES };

/** contracts' CreatedApiKeyResponse: the only answer that carries the key itself. */
export const createdApiKeySchema: SchemaObject = {
  type: 'object',
  required: [...API_KEY_REQUIRED, 'key'],
  properties: {
    ...API_KEY_PROPERTIES,
    key: { type: 'string', example: 'drk_0123456789ab_…', description: 'The secret: shown in this response only, never again' },
  },
};

export const apiKeyPageSchema = pageOf('ApiKey', 'Pass back as nextToken for the next page; null on the last');

/** contracts' CreateApiKeyRequest, with its class-validator rules. */
export const createApiKeyRequestSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'role'],
  properties: {
    name: {
      type: 'string',
      maxLength: MAX_API_KEY_NAME_LENGTH,
      pattern: '^[\\p{L}\\p{N}][\\p{L}\\p{N} ._@:/-]*$',
      description: 'Who or what uses the key; recorded as the actor of everything done with it. Starts with a letter or digit.',
    },
    role: ref('ApiKeyRole'),
    chatConfigurations: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_API_KEY_SCOPE_SIZE,
      uniqueItems: true,
      items: { type: 'string', minLength: 1, maxLength: 128 },
      description:
        'Senders only, and required for them: the chat configurations the key may send through and read; each an existing configuration ' +
        '(or the deployment default), else 400 naming chatConfigurations[i]',
    },
    expiresAt: { type: 'string', format: 'date-time', description: 'ISO-8601 with an explicit offset (Z or ±hh:mm; none is a 400); the key stops working then. Never expires when omitted.' },
  },
};
