import type { DataSource, QueryRunner } from 'typeorm';

/** Rows per FETCH: big enough that round trips don't dominate, small enough that memory stays flat (~2 MB). */
export const EXPORT_FETCH_ROWS = 5000;

/**
 * A server-side cursor over one query, read in chunks: however many rows match, the process holds one chunk at a
 * time. It runs in a read-only repeatable-read transaction, so the file is one consistent snapshot. Whoever opens
 * it must close it (also when the client goes away), which ends the transaction and returns the connection.
 * One chunk is fetched ahead: Postgres produces the next chunk while the caller encodes and sends this one.
 */
export class HistoryExportCursor<T> {
  private closed = false;
  private exhausted = false;
  private ahead: Promise<T[]> | undefined;

  private constructor(
    private readonly runner: QueryRunner,
    private readonly fetchRows: number,
  ) {}

  static async open<T>(
    dataSource: DataSource,
    sql: string,
    params: unknown[],
    fetchRows = EXPORT_FETCH_ROWS,
  ): Promise<HistoryExportCursor<T>> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    const cursor = new HistoryExportCursor<T>(runner, fetchRows);
    try {
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await runner.query(`DECLARE history_export NO SCROLL CURSOR FOR ${sql}`, params);
    } catch (error) {
      await cursor.close();
      throw error;
    }
    return cursor;
  }

  /** The next chunk; empty once every row was read. */
  async next(): Promise<T[]> {
    if (this.closed || (this.exhausted && !this.ahead)) return [];
    const current = this.ahead ?? this.fetch();
    this.ahead = undefined;
    const rows = await current;
    if (rows.length < this.fetchRows) this.exhausted = true;
    else if (!this.closed) {
      this.ahead = this.fetch();
      // Its failure surfaces from the next call to next(); until then it must not count as unhandled.
      this.ahead.catch(() => undefined);
    }
    return rows;
  }

  private fetch(): Promise<T[]> {
    return this.runner.query(`FETCH ${this.fetchRows} FROM history_export`) as Promise<T[]>;
  }

  /** Ends the transaction (which drops the cursor) and returns the connection; safe to call more than once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      // The chunk fetched ahead (if any) is queued on the connection before the ROLLBACK; let it finish first.
      await this.ahead?.catch(() => undefined);
      await this.runner.query('ROLLBACK');
    } catch {
      // The connection is already broken (that may be why we are closing); releasing it is all that is left.
    } finally {
      await this.runner.release();
    }
  }
}
