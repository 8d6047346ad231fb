import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read tracking and recall. Recipients carry their read and recall state; batches carry the read-poll schedule (a
 * due time the worker's scanner claims with a lease, so polls survive restarts and lost Redis state) and their
 * recall outcome; sends carry the recall request and its lease.
 */
export class AddReadStatusAndRecall1764100000000 implements MigrationInterface {
  name = 'AddReadStatusAndRecall1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE recipients ADD COLUMN read_status text, ADD COLUMN read_at timestamptz,
                     ADD COLUMN recall_status text, ADD COLUMN recall_reason text, ADD COLUMN recalled_at timestamptz`);
    await q.query(`ALTER TABLE batches ADD COLUMN read_next_poll_at timestamptz, ADD COLUMN read_polls int NOT NULL DEFAULT 0,
                     ADD COLUMN read_checked_at timestamptz, ADD COLUMN read_error_code text,
                     ADD COLUMN recall_status text, ADD COLUMN recall_reason text, ADD COLUMN recalled_at timestamptz`);
    // Partial: only batches with a poll ahead, however many finished ones pile up.
    await q.query(`CREATE INDEX batches_read_due_idx ON batches (read_next_poll_at) WHERE read_next_poll_at IS NOT NULL`);
    await q.query(`ALTER TABLE sends ADD COLUMN recall_requested_at timestamptz, ADD COLUMN recall_completed_at timestamptz,
                     ADD COLUMN recall_lease_until timestamptz`);
    await q.query(
      `CREATE INDEX sends_recall_open_idx ON sends (recall_requested_at)
        WHERE recall_requested_at IS NOT NULL AND recall_completed_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX sends_recall_open_idx`);
    await q.query(`ALTER TABLE sends DROP COLUMN recall_lease_until, DROP COLUMN recall_completed_at, DROP COLUMN recall_requested_at`);
    await q.query(`DROP INDEX batches_read_due_idx`);
    await q.query(`ALTER TABLE batches DROP COLUMN recalled_at, DROP COLUMN recall_reason, DROP COLUMN recall_status,
                     DROP COLUMN read_error_code, DROP COLUMN read_checked_at, DROP COLUMN read_polls, DROP COLUMN read_next_poll_at`);
    await q.query(`ALTER TABLE recipients DROP COLUMN recalled_at, DROP COLUMN recall_reason, DROP COLUMN recall_status,
                     DROP COLUMN read_at, DROP COLUMN read_status`);
  }
}
