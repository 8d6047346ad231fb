import type { SchemaObject } from './send.schemas.js';
import { ref } from './schema-ref.js';

/** contracts' AuditEventResponse. */
export const auditEventSchema: SchemaObject = {
  type: 'object',
  required: ['id', 'occurredAt', 'actor', 'action', 'target', 'requestId', 'outcome', 'details'],
  properties: {
    id: { type: 'string', description: 'Increasing with each event recorded' },
    occurredAt: { type: 'string', format: 'date-time' },
    actor: ref('AuditActor'),
    action: { type: 'string', example: 'send.cancel' },
    target: ref('AuditTarget'),
    requestId: { type: 'string', nullable: true, description: "The API request that made the change (its X-Request-Id); null for scheduled jobs" },
    outcome: ref('AuditOutcome'),
    details: { type: 'object', additionalProperties: true, description: 'What changed; for a failed outcome: errorCode and message' },
  },
};

export const auditActorSchema: SchemaObject = {
  type: 'object',
  required: ['apiKeyId', 'name', 'role'],
  properties: {
    apiKeyId: { type: 'string', format: 'uuid', nullable: true, description: 'null for the system itself' },
    name: { type: 'string', description: 'The key’s name, or system:<job>' },
    role: { type: 'string', nullable: true },
  },
};

export const auditTargetSchema: SchemaObject = {
  type: 'object',
  required: ['type', 'id'],
  properties: { type: { type: 'string', example: 'send' }, id: { type: 'string' } },
};

/** contracts' SendEventResponse: one step of a send's timeline. */
export const sendEventSchema: SchemaObject = {
  type: 'object',
  required: ['id', 'type', 'batchId', 'occurredAt', 'details'],
  properties: {
    id: { type: 'string' },
    type: { type: 'string', example: 'batch.attempt' },
    batchId: { type: 'string', format: 'uuid', nullable: true, description: 'The batch the event is about; null for the send as a whole' },
    occurredAt: { type: 'string', format: 'date-time' },
    details: { type: 'object', additionalProperties: true },
  },
};
