import type { SchemaObject } from './send.schemas.js';
import { nullableRef, ref } from './schema-ref.js';

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

const hash: SchemaObject = { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256, hex' };

/** contracts' AuditChainVerification: GET /v1/audit-events/verify. */
export const auditChainVerificationSchema: SchemaObject = {
  type: 'object',
  required: ['intact', 'checked', 'head', 'firstBroken', 'digest'],
  properties: {
    intact: { type: 'boolean', description: 'Every event links to the one before and hashes to what it stores (and matches the digest, if given)' },
    checked: { type: 'integer', description: 'Events checked from the first: all of them when intact, else up to the first broken link' },
    head: nullableRef('AuditChainHead', 'The newest event when the check started; null while the log is empty'),
    firstBroken: nullableRef('AuditChainBreak', 'The first broken link; null when intact'),
    digest: nullableRef('AuditDigestCheck', 'The digest checked against; null without one'),
  },
};

export const auditChainHeadSchema: SchemaObject = {
  type: 'object',
  required: ['position', 'hash'],
  properties: { position: { type: 'integer' }, hash },
};

export const auditChainBreakSchema: SchemaObject = {
  type: 'object',
  required: ['reason', 'eventId', 'position', 'expectedHash', 'foundHash', 'message'],
  properties: {
    reason: ref('AuditChainBreakReason'),
    eventId: { type: 'string', nullable: true, description: 'The event where the break is found; null for truncated' },
    position: { type: 'integer' },
    expectedHash: hash,
    foundHash: { ...hash, nullable: true },
    message: { type: 'string' },
  },
};

export const auditDigestCheckSchema: SchemaObject = {
  type: 'object',
  required: ['count', 'hash', 'signature'],
  properties: {
    count: { type: 'integer' },
    hash,
    signature: ref('AuditDigestSignatureCheck'),
  },
};

