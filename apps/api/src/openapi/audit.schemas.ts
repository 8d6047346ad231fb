import type { SchemaObject } from './send.schemas.js';
import { AUDIT_CHAIN_BREAKS, AUDIT_OUTCOMES } from '@dingrelay/contracts';

const nextToken: SchemaObject = {
  type: 'string',
  nullable: true,
  description: 'Pass back as nextToken (or NextToken) for the next page; null on the last',
};

export const auditEventPageSchema: SchemaObject = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', description: 'Increasing with each event recorded' },
          occurredAt: { type: 'string', format: 'date-time' },
          actor: {
            type: 'object',
            properties: {
              apiKeyId: { type: 'string', format: 'uuid', nullable: true, description: 'null for the system itself' },
              name: { type: 'string', description: 'The key’s name, or system:<job>' },
              role: { type: 'string', nullable: true },
            },
          },
          action: { type: 'string', example: 'send.cancel' },
          target: { type: 'object', properties: { type: { type: 'string' }, id: { type: 'string' } } },
          requestId: { type: 'string', nullable: true },
          outcome: { type: 'string', enum: [...AUDIT_OUTCOMES] },
          details: { type: 'object', additionalProperties: true, description: 'For a failed outcome: errorCode and message' },
        },
      },
    },
    nextToken,
  },
};

export const sendEventPageSchema: SchemaObject = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          type: { type: 'string', example: 'batch.attempt' },
          batchId: { type: 'string', format: 'uuid', nullable: true },
          occurredAt: { type: 'string', format: 'date-time' },
          details: { type: 'object', additionalProperties: true },
        },
      },
    },
    nextToken,
  },
};

const hash: SchemaObject = { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256, hex' };

export const auditChainVerificationSchema: SchemaObject = {
  type: 'object',
  required: ['intact', 'checked', 'head', 'firstBroken', 'digest'],
  properties: {
    intact: { type: 'boolean', description: 'Every event links to the one before and hashes to what it stores (and matches the digest, if given)' },
    checked: { type: 'integer', description: 'Events checked from the first: all of them when intact, else up to the first broken link' },
    head: {
      type: 'object',
      nullable: true,
      description: 'The newest event when the check started; null while the log is empty',
      properties: { position: { type: 'integer' }, hash },
    },
    firstBroken: {
      type: 'object',
      nullable: true,
      properties: {
        reason: {
          type: 'string',
          enum: [...AUDIT_CHAIN_BREAKS],
          description: 'content: the event was changed; link: it does not point at the previous hash; missing: a position is skipped (deleted); digest: another hash at the digest\'s position (rewritten); truncated: the chain ends before the digest\'s count',
        },
        eventId: { type: 'string', nullable: true, description: 'The event where the break is found; null for truncated' },
        position: { type: 'integer' },
        expectedHash: hash,
        foundHash: { ...hash, nullable: true },
        message: { type: 'string' },
      },
    },
    digest: {
      type: 'object',
      nullable: true,
      properties: {
        count: { type: 'integer' },
        hash,
        signature: { type: 'string', enum: ['valid', 'invalid', 'unchecked'], description: 'unchecked without AUDIT_DIGEST_KEY on the API, or without digestAt and digestSignature' },
      },
    },
  },
};
