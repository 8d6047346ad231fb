import type { RecipientHistoryItem, SendHistoryItem } from '@dingrelay/contracts';
import { isoMicros, isoMillis, SEND_STATUS_SQL } from './history-sql.js';

/**
 * The columns of each view, shared by the pages and the exports so a file holds exactly what the pages show.
 * Every value leaves Postgres already in its response form (timestamps as ISO text), so rows are returned as is.
 */
export const SEND_HISTORY_COLUMNS = `
  s.id::text AS "id", ${isoMillis('s.created_at')} AS "createdAt", s.chat_configuration AS "chatConfiguration",
  s.robot_code AS "robotCode", s.msg_key AS "msgKey", ${SEND_STATUS_SQL} AS "status",
  s.recipient_count AS "recipientCount", s.batch_count AS "batchCount", s.idempotency_key AS "idempotencyKey",
  s.requested_by AS "requestedBy", ${isoMillis('s.completed_at')} AS "completedAt",
  ${isoMillis('s.cancelled_at')} AS "cancelledAt"`;

export const SEND_HISTORY_FIELDS: readonly (keyof SendHistoryItem)[] = [
  'id', 'createdAt', 'chatConfiguration', 'robotCode', 'msgKey', 'status', 'recipientCount', 'batchCount',
  'idempotencyKey', 'requestedBy', 'completedAt', 'cancelledAt',
];

export const RECIPIENT_HISTORY_COLUMNS = `
  r.send_id::text AS "sendId", r.user_id AS "userId", ${isoMillis('r.created_at')} AS "createdAt",
  s.chat_configuration AS "chatConfiguration", s.robot_code AS "robotCode", s.msg_key AS "msgKey",
  r.status AS "status", r.reason_code AS "reasonCode", r.reason_message AS "reasonMessage",
  ${isoMillis('r.delivered_at')} AS "deliveredAt", r.read_status AS "readStatus", ${isoMillis('r.read_at')} AS "readAt",
  r.recall_status AS "recallStatus", r.recall_reason AS "recallReason", ${isoMillis('r.recalled_at')} AS "recalledAt"`;

export const RECIPIENT_HISTORY_FIELDS: readonly (keyof RecipientHistoryItem)[] = [
  'sendId', 'userId', 'createdAt', 'chatConfiguration', 'robotCode', 'msgKey', 'status', 'reasonCode',
  'reasonMessage', 'deliveredAt', 'readStatus', 'readAt', 'recallStatus', 'recallReason', 'recalledAt',
];

/** The keyset position of each view: its order, (created_at, id) newest first. */
export const SEND_KEYSET = `${isoMicros('s.created_at')} AS "keysetAt", s.id::text AS "keysetId"`;
export const RECIPIENT_KEYSET = `${isoMicros('r.created_at')} AS "keysetAt", r.id::text AS "keysetId"`;
