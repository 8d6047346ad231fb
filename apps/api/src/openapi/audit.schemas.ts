import type { SchemaObject } from './send.schemas.js';
import { AUDIT_OUTCOMES } from '@dingrelay/contracts';

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
