import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Throttled calls per batch (they don't spend the retry budget), delivery pauses per chat configuration (quota
 * exhausted), and monthly DingTalk usage per configuration, split over shard rows so concurrent workers don't queue
 * on one hot counter row.
 */
export class AddPacingPausesUsage1763900000000 implements MigrationInterface {
  name = 'AddPacingPausesUsage1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE batches ADD COLUMN throttled_attempts int NOT NULL DEFAULT 0`);
    // Per user, because flow-control re-sends move users into batches of their own and history must follow them.
    await q.query(`ALTER TABLE recipients ADD COLUMN flow_controlled int NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE recipients ADD COLUMN lost_calls int NOT NULL DEFAULT 0`);
    // Progress estimates count the open batches of a configuration's unfinished sends: both partial indexes stay
    // as small as the backlog, however much history accumulates.
    await q.query(`CREATE INDEX batches_open_send_idx ON batches (send_id) WHERE status IN ('pending', 'in_flight')`);
    await q.query(`CREATE INDEX sends_incomplete_idx ON sends (chat_configuration, created_at) WHERE completed_at IS NULL`);
    await q.query(`
      CREATE TABLE delivery_pauses (
        chat_configuration text PRIMARY KEY,
        reason text NOT NULL,
        code text NOT NULL,
        message text,
        paused_since timestamptz NOT NULL DEFAULT now(),
        paused_until timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE dingtalk_usage (
        chat_configuration text NOT NULL,
        month date NOT NULL,
        shard smallint NOT NULL,
        calls bigint NOT NULL DEFAULT 0,
        billable_calls bigint NOT NULL DEFAULT 0,
        recipients bigint NOT NULL DEFAULT 0,
        delivered bigint NOT NULL DEFAULT 0,
        throttled bigint NOT NULL DEFAULT 0,
        errors bigint NOT NULL DEFAULT 0,
        CONSTRAINT dingtalk_usage_pkey PRIMARY KEY (chat_configuration, month, shard)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dingtalk_usage`);
    await q.query(`DROP TABLE delivery_pauses`);
    await q.query(`DROP INDEX sends_incomplete_idx`);
    await q.query(`DROP INDEX batches_open_send_idx`);
    await q.query(`ALTER TABLE recipients DROP COLUMN lost_calls`);
    await q.query(`ALTER TABLE recipients DROP COLUMN flow_controlled`);
    await q.query(`ALTER TABLE batches DROP COLUMN throttled_attempts`);
  }
}
