import type { RecipientHistoryItem, SendHistoryItem } from '@dingrelay/contracts';
import { sentThroughCurrentConfiguration } from '../chat-configurations/send-configuration.sql.js';
import { isoMicros, isoMillis, SEND_STATUS_SQL } from './history-sql.js';

/**
 * One field of a history view: its SQL expression and whether its text comes from outside (a client or DingTalk)
 * and so may need CSV quoting and formula neutralisation. Our own values (ids, timestamps, enums, counts) never do.
 */
interface ViewField<T> {
  name: keyof T & string;
  sql: string;
  text?: true;
}

/**
 * The fields of each view, shared by the pages and the exports so a file holds exactly what the pages show.
 * Every value leaves Postgres already in its response form (timestamps as ISO text), so rows are returned as is.
 */
const SEND_VIEW: ViewField<SendHistoryItem>[] = [
  { name: 'id', sql: 's.id::text' },
  { name: 'createdAt', sql: isoMillis('s.created_at') },
  { name: 'chatConfiguration', sql: 's.chat_configuration', text: true },
  { name: 'robotCode', sql: 's.robot_code', text: true },
  { name: 'msgKey', sql: 's.msg_key' },
  { name: 'status', sql: SEND_STATUS_SQL },
  { name: 'recipientCount', sql: 's.recipient_count' },
  { name: 'batchCount', sql: 's.batch_count' },
  { name: 'idempotencyKey', sql: 's.idempotency_key', text: true },
  { name: 'requestedBy', sql: 's.requested_by', text: true },
  { name: 'completedAt', sql: isoMillis('s.completed_at') },
  { name: 'cancelledAt', sql: isoMillis('s.cancelled_at') },
  // Last, so a spreadsheet built on the columns before them keeps its columns.
  { name: 'chatConfigurationId', sql: 's.chat_configuration_id::text' },
  { name: 'chatConfigurationDeleted', sql: `NOT (${sentThroughCurrentConfiguration('s')})` },
];

const RECIPIENT_VIEW: ViewField<RecipientHistoryItem>[] = [
  { name: 'sendId', sql: 'r.send_id::text' },
  { name: 'userId', sql: 'r.user_id', text: true },
  { name: 'createdAt', sql: isoMillis('r.created_at') },
  { name: 'chatConfiguration', sql: 's.chat_configuration', text: true },
  { name: 'robotCode', sql: 's.robot_code', text: true },
  { name: 'msgKey', sql: 's.msg_key' },
  { name: 'status', sql: 'r.status' },
  { name: 'reasonCode', sql: 'r.reason_code', text: true },
  { name: 'reasonMessage', sql: 'r.reason_message', text: true },
  { name: 'deliveredAt', sql: isoMillis('r.delivered_at') },
  { name: 'readStatus', sql: 'r.read_status' },
  { name: 'readAt', sql: isoMillis('r.read_at') },
  { name: 'recallStatus', sql: 'r.recall_status' },
  { name: 'recallReason', sql: 'r.recall_reason', text: true },
  { name: 'recalledAt', sql: isoMillis('r.recalled_at') },
];

const selectList = <T>(view: ViewField<T>[]) => view.map((f) => `${f.sql} AS "${f.name}"`).join(', ');

/**
 * One CSV cell (RFC 4180) computed by Postgres: quoted when it holds a quote, comma or line break, quotes doubled;
 * text a spreadsheet would run as a formula (starting with = + - @ tab CR) gets a leading `'`. Done in SQL because
 * at millions of rows, parsing fifteen values per row and encoding them was most of the API's CPU in an export.
 */
function csvCellSql<T>(field: ViewField<T>): string {
  if (!field.text) return `coalesce((${field.sql})::text, '')`;
  const v = `(${field.sql})`;
  const quote = `'"' || replace(${v}, '"', '""') || '"'`;
  return `CASE WHEN ${v} IS NULL THEN ''
    WHEN left(${v}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r')
      THEN CASE WHEN ${v} ~ '[",\\r\\n]' THEN '"''' || replace(${v}, '"', '""') || '"' ELSE '''' || ${v} END
    WHEN ${v} ~ '[",\\r\\n]' THEN ${quote}
    ELSE ${v} END`;
}

const csvLine = <T>(view: ViewField<T>[]) => `concat_ws(',', ${view.map(csvCellSql).join(', ')}) AS line`;

export const SEND_HISTORY_COLUMNS = selectList(SEND_VIEW);
export const SEND_HISTORY_FIELDS: readonly (keyof SendHistoryItem & string)[] = SEND_VIEW.map((f) => f.name);
/** A whole CSV record (without its line break) per row, for the export. */
export const SEND_HISTORY_CSV_LINE = csvLine(SEND_VIEW);

export const RECIPIENT_HISTORY_COLUMNS = selectList(RECIPIENT_VIEW);
export const RECIPIENT_HISTORY_FIELDS: readonly (keyof RecipientHistoryItem & string)[] = RECIPIENT_VIEW.map((f) => f.name);
export const RECIPIENT_HISTORY_CSV_LINE = csvLine(RECIPIENT_VIEW);

/** The keyset position of each view: its order, (created_at, id) newest first. */
export const SEND_KEYSET = `${isoMicros('s.created_at')} AS "keysetAt", s.id::text AS "keysetId"`;
export const RECIPIENT_KEYSET = `${isoMicros('r.created_at')} AS "keysetAt", r.id::text AS "keysetId"`;
