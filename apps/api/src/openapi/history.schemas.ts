import { MSG_KEYS, RECIPIENT_STATUSES, SEND_STATUSES } from '@dingrelay/contracts';
import { recipientReadRecallProperties } from './read-recall.schemas.js';
import type { SchemaObject } from './send.schemas.js';

const time = (description?: string): SchemaObject => ({ type: 'string', format: 'date-time', ...(description ? { description } : {}) });
const nullableTime = (description?: string): SchemaObject => ({ ...time(description), nullable: true });

const nextToken: SchemaObject = {
  type: 'string',
  nullable: true,
  description: 'Pass back as nextToken (or NextToken), with the same filters, for the next page; null on the last',
};

/** contracts' SendHistoryItem: one row of GET /v1/sends (and of its export). */
export const sendHistoryItemSchema: SchemaObject = {
  type: 'object',
  required: ['id', 'createdAt', 'chatConfiguration', 'robotCode', 'msgKey', 'status', 'recipientCount', 'batchCount', 'idempotencyKey', 'requestedBy', 'completedAt', 'cancelledAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    createdAt: time(),
    chatConfiguration: { type: 'string' },
    robotCode: { type: 'string' },
    msgKey: { type: 'string', enum: [...MSG_KEYS] },
    status: { type: 'string', enum: [...SEND_STATUSES] },
    recipientCount: { type: 'integer', minimum: 0 },
    batchCount: { type: 'integer', minimum: 0 },
    idempotencyKey: { type: 'string', nullable: true },
    requestedBy: { type: 'string', nullable: true, description: 'Name of the API key that made the send' },
    completedAt: nullableTime(),
    cancelledAt: nullableTime(),
  },
};

/** contracts' RecipientHistoryItem: one row of GET /v1/recipients (and of its export). */
export const recipientHistoryItemSchema: SchemaObject = {
  type: 'object',
  required: ['sendId', 'userId', 'createdAt', 'chatConfiguration', 'robotCode', 'msgKey', 'status', 'reasonCode', 'reasonMessage', 'deliveredAt', 'readStatus', 'readAt', 'recallStatus', 'recallReason', 'recalledAt'],
  properties: {
    sendId: { type: 'string', format: 'uuid' },
    userId: { type: 'string' },
    createdAt: time(),
    chatConfiguration: { type: 'string' },
    robotCode: { type: 'string' },
    msgKey: { type: 'string', enum: [...MSG_KEYS] },
    status: { type: 'string', enum: [...RECIPIENT_STATUSES] },
    reasonCode: { type: 'string', nullable: true, description: "DingTalk's error code, or a dingrelay.* reason" },
    reasonMessage: { type: 'string', nullable: true },
    deliveredAt: nullableTime(),
    ...recipientReadRecallProperties,
  },
};

const pageOf = (item: string): SchemaObject => ({
  type: 'object',
  required: ['items', 'nextToken'],
  properties: { items: { type: 'array', items: { $ref: `#/components/schemas/${item}` } }, nextToken },
});

export const sendHistoryPageSchema = pageOf('SendHistoryItem');
export const recipientHistoryPageSchema = pageOf('RecipientHistoryItem');
