import type { SchemaObject } from './send.schemas.js';

/** `read` on a send's status. */
export const readSummarySchema: SchemaObject = {
  type: 'object',
  description: "Read counts of the send's delivered recipients, from DingTalk readStatus polls",
  properties: {
    read: { type: 'integer' },
    unread: { type: 'integer' },
    notChecked: { type: 'integer', description: 'Delivered recipients no poll has answered for yet' },
    batchesPolling: { type: 'integer', description: 'Batches with a readStatus poll still ahead' },
    lastCheckedAt: { type: 'string', format: 'date-time', nullable: true },
  },
};

/** `recall` on a send's status. */
export const recallSummarySchema: SchemaObject = {
  type: 'object',
  nullable: true,
  description: 'Progress of a requested recall; null unless one was requested',
  properties: {
    requestedAt: { type: 'string', format: 'date-time' },
    completedAt: { type: 'string', format: 'date-time', nullable: true },
    recalled: { type: 'integer' },
    failed: { type: 'integer' },
    failedByReason: { type: 'object', additionalProperties: { type: 'integer' }, example: { expired: 20, SYSTEM_ERROR: 3 } },
    pending: { type: 'integer' },
  },
};

/** Read/recall fields of one recipient. */
export const recipientReadRecallProperties: Record<string, SchemaObject> = {
  readStatus: { type: 'string', enum: ['unread', 'read'], nullable: true },
  readAt: {
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: "DingTalk's readTimestamp, or (usually: DingTalk omits it) the time of the poll that first saw the read",
  },
  recallStatus: { type: 'string', enum: ['recalled', 'failed'], nullable: true },
  recallReason: { type: 'string', nullable: true, description: "`expired`, or DingTalk's failedResult reason / error code" },
  recalledAt: { type: 'string', format: 'date-time', nullable: true },
};

export function recallSendResponseSchema(sendStatus: SchemaObject): SchemaObject {
  return {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      replayed: { type: 'boolean', description: 'A recall had already been requested; nothing new was done' },
      batchesToRecall: { type: 'integer' },
      batchesExpired: { type: 'integer' },
      batchesInFlight: { type: 'integer' },
      recipientsCancelled: { type: 'integer' },
      send: sendStatus,
    },
  };
}

export const refreshReadStatusResponseSchema: SchemaObject = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    batches: { type: 'integer', description: 'Batches whose readStatus poll was made due now' },
    unreadRecipients: { type: 'integer' },
  },
};
