import type { SchemaObject } from './send.schemas.js';
import { ref } from './schema-ref.js';

/** @nestjs/terminus's answer: every indicator under details, the failing ones also under error. */
export const healthStatusSchema: SchemaObject = {
  type: 'object',
  description: "terminus's shape: every indicator under details, the failing ones also under error",
  required: ['status'],
  properties: {
    status: ref('HealthState'),
    info: { type: 'object', additionalProperties: true },
    error: { type: 'object', additionalProperties: true },
    details: { type: 'object', additionalProperties: true },
  },
};

export const healthStateSchema: SchemaObject = { type: 'string', enum: ['ok', 'error', 'shutting_down'] };
