import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the auditor's history (GET /v1/sends, GET /v1/recipients, the exports), each ending in the keyset
 * (created_at, id) so a filtered page is an index range read newest first, never a sort of the whole history.
 * Sized with tools/bench/history.mjs on 10M recipients over 100k sends.
 */
export class AddHistoryIndexes1764600000000 implements MigrationInterface {
  name = 'AddHistoryIndexes1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX sends_configuration_created_idx ON sends (chat_configuration, created_at, id)`);
    await q.query(`CREATE INDEX sends_robot_code_created_idx ON sends (robot_code, created_at, id)`);
    await q.query(`CREATE INDEX sends_msg_key_created_idx ON sends (msg_key, created_at, id)`);
    await q.query(`CREATE INDEX sends_requested_by_created_idx ON sends (requested_by, created_at, id)`);
    // Status filters: cancelled and unfinished sends are rare among months of completed ones, so a partial index
    // finds a page of them without walking every completed send.
    await q.query(`CREATE INDEX sends_cancelled_created_idx ON sends (created_at, id) WHERE cancelled_at IS NOT NULL`);
    await q.query(`CREATE INDEX sends_unfinished_created_idx ON sends (created_at, id) WHERE completed_at IS NULL`);
    // One user's history newest first: the id breaks ties between recipients of sends made in one transaction instant.
    await q.query(`DROP INDEX recipients_user_idx`);
    await q.query(`CREATE INDEX recipients_user_created_idx ON recipients (user_id, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX recipients_user_created_idx`);
    await q.query(`CREATE INDEX recipients_user_idx ON recipients (user_id, created_at)`);
    await q.query(`DROP INDEX sends_unfinished_created_idx`);
    await q.query(`DROP INDEX sends_cancelled_created_idx`);
    await q.query(`DROP INDEX sends_requested_by_created_idx`);
    await q.query(`DROP INDEX sends_msg_key_created_idx`);
    await q.query(`DROP INDEX sends_robot_code_created_idx`);
    await q.query(`DROP INDEX sends_configuration_created_idx`);
  }
}
