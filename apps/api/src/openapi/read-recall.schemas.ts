import type { SchemaObject } from './send.schemas.js';
import { nullableRef, ref } from './schema-ref.js';

const count = (description?: string): SchemaObject => ({ type: 'integer', minimum: 0, ...(description ? { description } : {}) });

/** contracts' ReadSummary: `read` on a send's status. */
export const readSummarySchema: SchemaObject = {
  type: 'object',
  description: "Read counts of the send's delivered recipients, from DingTalk readStatus polls",
  required: ['read', 'unread', 'notChecked', 'batchesPolling', 'lastCheckedAt'],
  properties: {
    read: count(),
    unread: count(),
    notChecked: count('Delivered recipients no poll has answered for yet'),
    batchesPolling: count('Batches with a readStatus poll still ahead'),
    lastCheckedAt: { type: 'string', format: 'date-time', nullable: true },
  },
};

/** contracts' RecallSummary: `recall` on a send's status (null there until a recall is requested). */
export const recallSummarySchema: SchemaObject = {
  type: 'object',
  description: 'Progress of a requested recall',
  required: ['requestedAt', 'completedAt', 'recalled', 'failed', 'failedByReason', 'pending'],
  properties: {
    requestedAt: { type: 'string', format: 'date-time' },
    completedAt: { type: 'string', format: 'date-time', nullable: true },
    recalled: count(),
    failed: count(),
    failedByReason: { type: 'object', additionalProperties: { type: 'integer' }, example: { expired: 20, SYSTEM_ERROR: 3 } },
    pending: count(),
  },
};

/** Read/recall fields of one recipient. */
export const recipientReadRecallProperties: Record<string, SchemaObject> = {
  readStatus: nullableRef('ReadStatus', 'Null until a readStatus poll answered for this delivered recipient', 'string'),
  readAt: {
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: "DingTalk's readTimestamp, or (usually: DingTalk omits it) the time of the poll that first saw the read",
  },
  recallStatus: nullableRef('RecallStatus', 'Null unless a recall of the send handled this message', 'string'),
  recallReason: { type: 'string', nullable: true, description: "`expired`, or DingTalk's failedResult reason / error code" },
  recalledAt: { type: 'string', format: 'date-time', nullable: true },
};

/** contracts' RecallSendResponse (202). */
export const recallSendResponseSchema: SchemaObject = {
  type: 'object',
  required: ['id', 'replayed', 'batchesToRecall', 'batchesExpired', 'batchesInFlight', 'recipientsCancelled', 'send'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    replayed: { type: 'boolean', description: 'A recall had already been requested; nothing new was done' },
    batchesToRecall: count(),
    batchesExpired: count(),
    batchesInFlight: count(),
    recipientsCancelled: count(),
    send: ref('SendStatusResponse'),
  },
};

/** contracts' RefreshReadStatusResponse (202). */
export const refreshReadStatusResponseSchema: SchemaObject = {
  type: 'object',
  required: ['id', 'batches', 'unreadRecipients'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    batches: count('Batches whose readStatus poll was made due now'),
    unreadRecipients: count(),
  },
};
