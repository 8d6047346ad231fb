import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A send's outcome, kept on the send from the moment it completes: its recipients per status in
 * `recipient_summary` (until now written by retention only, just before it purged the rows) and the calls whose
 * answer was lost in the new `ambiguous_calls`. Neither changes after completion — every recipient is terminal
 * and every batch closed — so statistics over many sends read one row per send rather than each send's
 * recipients and batches (GET /v1/stats/sends; sized with tools/bench/history.mjs).
 *
 * Sends completed before this migration are filled in here from their rows: one pass over recipients and
 * batches, about half a minute per 10 million recipients. A send completed by a worker still running the previous
 * version keeps NULLs; readers count such a send from its rows, so it is only slower, never wrong.
 */
export class KeepSendOutcome1764700000000 implements MigrationInterface {
  name = 'KeepSendOutcome1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sends ADD COLUMN ambiguous_calls int`);
    await q.query(`
      UPDATE sends s SET recipient_summary = c.by_status
        FROM (SELECT send_id, jsonb_object_agg(status, n) AS by_status
                FROM (SELECT send_id, status, count(*)::int AS n FROM recipients GROUP BY send_id, status) per_status
               GROUP BY send_id) c
       WHERE c.send_id = s.id AND s.completed_at IS NOT NULL AND s.recipient_summary IS NULL`);
    await q.query(`
      UPDATE sends s SET ambiguous_calls = b.n
        FROM (SELECT send_id, sum(ambiguous_attempts)::int AS n FROM batches GROUP BY send_id) b
       WHERE b.send_id = s.id AND s.completed_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    // recipient_summary stays: the previous version reads a summary the same way whoever wrote it, and clearing it
    // would also clear the counts of a send whose purge was interrupted after freezing them.
    await q.query(`ALTER TABLE sends DROP COLUMN ambiguous_calls`);
  }
}
