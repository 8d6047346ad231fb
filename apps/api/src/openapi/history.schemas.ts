import { recipientReadRecallProperties } from './read-recall.schemas.js';
import { pageOf } from './page.schemas.js';
import type { SchemaObject } from './send.schemas.js';
import { ref } from './schema-ref.js';

const time = (description?: string): SchemaObject => ({ type: 'string', format: 'date-time', ...(description ? { description } : {}) });
const nullableTime = (description?: string): SchemaObject => ({ ...time(description), nullable: true });

/** contracts' SendHistoryItem: one row of GET /v1/sends (and of its export). */
export const sendHistoryItemSchema: SchemaObject = {
  type: 'object',
  required: ['id', 'createdAt', 'chatConfiguration', 'robotCode', 'msgKey', 'status', 'recipientCount', 'batchCount', 'idempotencyKey', 'requestedBy', 'completedAt', 'cancelledAt', 'chatConfigurationId', 'chatConfigurationDeleted'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    createdAt: time(),
    chatConfiguration: { type: 'string' },
    robotCode: { type: 'string' },
    msgKey: ref('MsgKey'),
    status: ref('SendStatus'),
    recipientCount: { type: 'integer', minimum: 0 },
    batchCount: { type: 'integer', minimum: 0 },
    idempotencyKey: { type: 'string', nullable: true },
    requestedBy: { type: 'string', nullable: true, description: 'Name of the API key that made the send' },
    completedAt: nullableTime(),
    cancelledAt: nullableTime(),
    chatConfigurationId: { type: 'string', format: 'uuid', nullable: true, description: 'As on GET /v1/sends/{id}' },
    chatConfigurationDeleted: { type: 'boolean', description: 'As on GET /v1/sends/{id}: the configuration the send went through was deleted since' },
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
    msgKey: ref('MsgKey'),
    status: ref('RecipientStatus'),
    reasonCode: { type: 'string', nullable: true, description: "DingTalk's error code, or a dingrelay.* reason" },
    reasonMessage: { type: 'string', nullable: true },
    deliveredAt: nullableTime(),
    ...recipientReadRecallProperties,
  },
};

export const sendHistoryPageSchema = pageOf('SendHistoryItem');
export const recipientHistoryPageSchema = pageOf('RecipientHistoryItem');
