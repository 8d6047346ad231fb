import type { ExportFormat } from '@dingrelay/contracts';
import { RECIPIENT_HISTORY_COLUMNS, RECIPIENT_HISTORY_CSV_LINE, SEND_HISTORY_COLUMNS, SEND_HISTORY_CSV_LINE } from './history-rows.js';
import {
  type RecipientHistoryFilterInput,
  recipientConditions,
  recipientConditionsBySend,
  type SendHistoryFilterInput,
  sendConditions,
  SqlParams,
  whereClause,
} from './history-sql.js';

/** One export's statement and its parameters. Building it checks the filter (a 400 before any connection is taken). */
export interface ExportQuery {
  sql: string;
  params: unknown[];
  /**
   * Plan without sorting the result: its order must come from indexes (with at most an Incremental Sort of each
   * send's rows), whatever the planner estimates. Set where an index order always exists and a sort would have to
   * read the whole match before the first row.
   */
  orderFromIndexes?: true;
}

/** The session settings (`SET LOCAL`, inside the export's transaction) a query asks for. */
export function exportPlannerSettings(query: ExportQuery): string[] {
  return query.orderFromIndexes ? ['SET LOCAL enable_sort = off'] : [];
}

/** Every matching send, newest first: along `sends (created_at, id)` or the index of the filter's column. */
export function exportSendsQuery(filter: SendHistoryFilterInput, format: ExportFormat): ExportQuery {
  const params = new SqlParams();
  const where = whereClause(sendConditions(filter, params));
  const columns = format === 'csv' ? SEND_HISTORY_CSV_LINE : SEND_HISTORY_COLUMNS;
  return { sql: `SELECT ${columns} FROM sends s ${where} ORDER BY s.created_at DESC, s.id DESC`, params: params.values };
}

/**
 * Every matching recipient row. One user's: the order of GET /v1/recipients, along `recipients (user_id,
 * created_at, id)`. Everyone's: send by send, newest first, each send's recipients in user order, written as a
 * LATERAL subquery so that the only plan is a nested loop from the sends (their indexes give the order and the time
 * range) into each send's recipients (`recipients (send_id, user_id)`): rows flow from the first send on, however
 * large the history.
 *
 * As a plain join the planner could hash-join the whole match and sort it before returning a row, and chose to on
 * large histories: random send ids leave `send_id` uncorrelated with the heap, and the n_distinct ANALYZE samples
 * falls far short of the real number of sends, so each send's index scan is costed as hundreds of random page
 * reads; once that estimate is ten times the sort's, a cursor's default cursor_tuple_fraction (0.1) picks the sort.
 * One configuration's 10M rows out of 100M then waited 23 s for their first byte.
 *
 * The nested loop alone does not settle the order: estimating few matching sends (a configuration the statistics
 * have not seen yet), the planner may still sort its whole output. `orderFromIndexes` rules that out: the sends come
 * in index order, each send's recipients along (send_id, user_id), and only an Incremental Sort per send remains.
 */
export function exportRecipientsQuery(filter: RecipientHistoryFilterInput, format: ExportFormat): ExportQuery {
  const params = new SqlParams();
  const columns = format === 'csv' ? RECIPIENT_HISTORY_CSV_LINE : RECIPIENT_HISTORY_COLUMNS;
  if (filter.userId !== undefined) {
    const where = whereClause(recipientConditions(filter, params));
    return {
      sql: `SELECT ${columns} FROM recipients r JOIN sends s ON s.id = r.send_id ${where} ORDER BY r.created_at DESC, r.id DESC`,
      params: params.values,
    };
  }
  const { send, recipient } = recipientConditionsBySend(filter, params);
  const inner = recipient.map((condition) => ` AND ${condition}`).join('');
  return {
    sql: `SELECT ${columns}
            FROM sends s
            CROSS JOIN LATERAL (SELECT * FROM recipients r WHERE r.send_id = s.id${inner} ORDER BY r.user_id) r
            ${whereClause(send)}
           ORDER BY s.created_at DESC, s.id DESC, r.user_id`,
    params: params.values,
    orderFromIndexes: true,
  };
}
