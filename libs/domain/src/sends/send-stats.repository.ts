import { Injectable } from '@nestjs/common';
import { RECIPIENT_STATUSES, type RecipientStatus, SEND_STATUSES, type SendStatsInterval, type SendStatus } from '@dingrelay/contracts';
import { DataSource, QueryFailedError } from 'typeorm';
import { InvalidInputError } from '../errors/domain.error.js';
import { isoMicros, readableCondition, SEND_STATUS_SQL, SqlParams, whereClause } from '../history/history-sql.js';

export interface SendStatsSelection {
  /** ISO-8601 with an offset; inclusive. */
  createdFrom: string;
  /** ISO-8601 with an offset; exclusive. */
  createdTo: string;
  chatConfiguration?: string;
  /** A sender's scope: only sends through these (the configurations that have the names now); null or absent for every one. */
  readableConfigurations?: readonly string[] | null;
}

export interface SendStatsCounts {
  /** Sends per status, one entry per bucket start given, in order. */
  buckets: Record<SendStatus, number>[];
  recipients: Record<RecipientStatus, number>;
  ambiguousCalls: number;
}

/**
 * Sends counted over time, for statistics. A completed send is read from the outcome kept on its row
 * (`recipient_summary`, `ambiguous_calls`: see completeSendIfSettled), so a range costs one row per send however many
 * recipients it had; only sends still under way (and any completed without a kept outcome) are counted from their
 * recipients and batches, one index lookup each.
 */
@Injectable()
export class SendStatsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Where the buckets of [createdFrom, createdTo) start, cut in `timeZone` by Postgres' own time zone rules: the range's
   * start, then every local hour (absolute hours aligned on the zone's hour, so a repeated or skipped local hour is
   * still one hour) or every local midnight (the first instant of the day when midnight itself is skipped; none for a
   * day the zone skipped altogether). At most
   * `limit` starts are returned; more than that means the range is over the limit. ISO text with microseconds.
   */
  async bucketStarts(range: { createdFrom: string; createdTo: string }, interval: SendStatsInterval, timeZone: string, limit: number): Promise<string[]> {
    const boundaries =
      interval === 'hour'
        ? `SELECT b FROM generate_series(date_trunc('hour', $1::timestamptz AT TIME ZONE $3) AT TIME ZONE $3, $2::timestamptz, interval '1 hour') b`
        : `SELECT d AT TIME ZONE $3 AS b
             FROM generate_series(date_trunc('day', $1::timestamptz AT TIME ZONE $3), $2::timestamptz AT TIME ZONE $3, interval '1 day') d`;
    const rows: { start: string }[] = await this.query(
      `SELECT ${isoMicros('b')} AS start
         FROM (SELECT $1::timestamptz AS b
               -- UNION, not UNION ALL: a day a zone skipped (Pacific/Apia's 2011-12-30) has the next day's start.
               UNION
               SELECT b FROM (${boundaries}) inner_boundaries WHERE b > $1::timestamptz AND b < $2::timestamptz) boundaries
        ORDER BY b
        LIMIT $4`,
      [range.createdFrom, range.createdTo, timeZone, limit],
    );
    return rows.map((r) => r.start);
  }

  /** Sends created from `bucketStarts[0]` to `createdTo`, per bucket and status, with their recipients and lost calls. */
  async count(selection: SendStatsSelection, bucketStarts: readonly string[]): Promise<SendStatsCounts> {
    const params = new SqlParams();
    const starts = params.add(bucketStarts);
    const where = [`s.created_at >= (${starts}::timestamptz[])[1]`, `s.created_at < ${params.add(selection.createdTo)}::timestamptz`];
    if (selection.readableConfigurations) where.push(readableCondition(selection.readableConfigurations, params));
    if (selection.chatConfiguration !== undefined) where.push(`s.chat_configuration = ${params.add(selection.chatConfiguration)}`);
    // One statement, so every figure comes from one snapshot. The lateral subqueries aggregate per send, which keeps
    // the planner from joining the range to all of recipients: each unfinished send is one index range read.
    const rows: { kind: 'sends' | 'recipients' | 'ambiguous'; bucket: number | null; key: string | null; n: number }[] = await this.query(
      `WITH chosen AS MATERIALIZED (
         SELECT s.id, width_bucket(s.created_at, ${starts}::timestamptz[]) AS bucket, ${SEND_STATUS_SQL} AS status,
                s.recipient_summary, s.ambiguous_calls
           FROM sends s ${whereClause(where)})
       SELECT 'sends' AS kind, bucket, status AS key, count(*)::int AS n FROM chosen GROUP BY bucket, status
       UNION ALL
       SELECT 'recipients', NULL, kept.key, sum(kept.value::int)::int
         FROM chosen c CROSS JOIN LATERAL jsonb_each_text(c.recipient_summary) kept
        WHERE c.recipient_summary IS NOT NULL GROUP BY kept.key
       UNION ALL
       SELECT 'recipients', NULL, live.status, sum(live.n)::int
         FROM chosen c CROSS JOIN LATERAL (
                SELECT r.status, count(*) AS n FROM recipients r WHERE r.send_id = c.id GROUP BY r.status) live
        WHERE c.recipient_summary IS NULL GROUP BY live.status
       UNION ALL
       SELECT 'ambiguous', NULL, NULL,
              (coalesce((SELECT sum(ambiguous_calls) FROM chosen WHERE ambiguous_calls IS NOT NULL), 0)
               + coalesce((SELECT sum(lost.n) FROM chosen c CROSS JOIN LATERAL (
                             SELECT sum(b.ambiguous_attempts) AS n FROM batches b WHERE b.send_id = c.id) lost
                            WHERE c.ambiguous_calls IS NULL), 0))::int`,
      params.values,
    );

    const buckets = bucketStarts.map(() => zeroes(SEND_STATUSES));
    const recipients = zeroes(RECIPIENT_STATUSES);
    let ambiguousCalls = 0;
    for (const row of rows) {
      if (row.kind === 'sends') buckets[row.bucket! - 1]![row.key as SendStatus] += row.n;
      else if (row.kind === 'recipients') {
        if (row.key! in recipients) recipients[row.key as RecipientStatus] += row.n;
      }
      else ambiguousCalls = row.n;
    }
    return { buckets, recipients, ambiguousCalls };
  }

  /** A zone Postgres does not know (its tz database and Node's may differ by a name or two) is the caller's error. */
  private async query<T>(sql: string, params: unknown[]): Promise<T> {
    try {
      return (await this.dataSource.query(sql, params)) as T;
    } catch (error) {
      const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; message?: string }) : undefined;
      if (driverError?.code === '22023' && /time zone .* not recognized/.test(driverError.message ?? '')) {
        throw new InvalidInputError('timeZone', 'is not a time zone this server knows');
      }
      throw error;
    }
  }
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}
