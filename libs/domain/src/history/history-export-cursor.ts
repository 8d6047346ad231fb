import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/** Rows per FETCH: big enough that round trips don't dominate, small enough that memory stays flat (~2 MB). */
export const EXPORT_FETCH_ROWS = 5000;

/**
 * Rows of the first FETCH: few, so the first rows leave as soon as Postgres has found them. With a selective filter
 * (2% of one configuration's rows, say) 5,000 matches can take a second or more to find; the next FETCH, already
 * the full size, runs while these are sent.
 */
export const EXPORT_FIRST_FETCH_ROWS = 500;

/** One exported row: its values in the order of the export's fields. */
export type ExportRow = unknown[];

/**
 * A server-side cursor over one query, read in chunks: however many rows match, the process holds one chunk at a
 * time (and the next one being fetched: Postgres produces it while the caller encodes and sends this one). It runs
 * in a read-only repeatable-read transaction, so the file is one consistent snapshot. Rows come as arrays, not
 * objects: at millions of rows the per-row objects were a measurable share of the export's CPU.
 * Whoever opens it must close it (also when the client goes away): that ends the transaction and returns the
 * connection to the pool, or discards it if it broke.
 */
export class HistoryExportCursor {
  private closed = false;
  private exhausted = false;
  private ahead: Promise<{ rows: ExportRow[]; asked: number }> | undefined;
  private fetched = 0;
  private broken = false;
  // A checked-out pg client has no 'error' listener of the pool's: a connection lost mid-export (server restart,
  // terminated backend) would be an unhandled 'error' event and take the process down. The failing query reports
  // it to the caller; this only notes that the connection must not go back to the pool.
  private readonly onConnectionError = () => {
    this.broken = true;
  };

  private constructor(
    private readonly client: PoolClient,
    private readonly fetchRows: number,
    private readonly firstFetchRows: number,
    private readonly onClose: () => void,
  ) {
    client.on('error', this.onConnectionError);
  }

  /** `onClose` runs once the connection is back (or discarded); `settings` are `SET LOCAL` statements run before the query. */
  static async open(
    dataSource: DataSource,
    sql: string,
    params: unknown[],
    {
      fetchRows = EXPORT_FETCH_ROWS,
      firstFetchRows = Math.min(EXPORT_FIRST_FETCH_ROWS, fetchRows),
      settings = [],
      onClose = () => undefined,
    }: { fetchRows?: number; firstFetchRows?: number; settings?: readonly string[]; onClose?: () => void } = {},
  ): Promise<HistoryExportCursor> {
    // The application's own pool (TypeORM's): exports count against DATABASE_POOL_SIZE like any other request.
    const pool = (dataSource.driver as PostgresDriver).master as Pool;
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      onClose();
      throw error;
    }
    const cursor = new HistoryExportCursor(client, fetchRows, firstFetchRows, onClose);
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // A whole-history export is costed high enough to be JIT-compiled: 200-400 ms before the first row and no
      // faster afterwards for these simple expressions (measured with tools/bench/history.mjs).
      await client.query('SET LOCAL jit = off');
      // The query's own planner settings (see exportPlannerSettings), for this transaction only.
      for (const setting of settings) await client.query(setting);
      await client.query(`DECLARE history_export NO SCROLL CURSOR FOR ${sql}`, params);
    } catch (error) {
      await cursor.close();
      throw error;
    }
    return cursor;
  }

  /** The next chunk; empty once every row was read. */
  async next(): Promise<ExportRow[]> {
    if (this.closed || (this.exhausted && !this.ahead)) return [];
    const current = this.ahead ?? this.fetch();
    this.ahead = undefined;
    const { rows, asked } = await current;
    if (rows.length < asked) this.exhausted = true;
    else if (!this.closed) {
      this.ahead = this.fetch();
      // Its failure surfaces from the next call to next(); until then it must not count as unhandled.
      this.ahead.catch(() => undefined);
    }
    return rows;
  }

  private async fetch(): Promise<{ rows: ExportRow[]; asked: number }> {
    const asked = this.fetched++ === 0 ? this.firstFetchRows : this.fetchRows;
    const result = await this.client.query<ExportRow>({ text: `FETCH ${asked} FROM history_export`, rowMode: 'array' });
    return { rows: result.rows, asked };
  }

  /** Ends the transaction (which drops the cursor) and returns the connection; safe to call more than once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      // The chunk fetched ahead (if any) is queued on the connection before the ROLLBACK; let it finish first.
      await this.ahead?.catch(() => undefined);
      await this.client.query('ROLLBACK');
    } catch {
      // The connection is broken (that may be why we are closing): it must not go back to the pool.
      this.broken = true;
    } finally {
      this.client.off('error', this.onConnectionError);
      this.client.release(this.broken ? true : undefined);
      this.onClose();
    }
  }
}
