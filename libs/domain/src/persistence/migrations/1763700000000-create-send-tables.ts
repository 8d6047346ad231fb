import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sends, their DingTalk-sized batches and one row per recipient. */
export class CreateSendTables1763700000000 implements MigrationInterface {
  name = 'CreateSendTables1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sends (
        id uuid PRIMARY KEY,
        chat_configuration text NOT NULL,
        robot_code text NOT NULL,
        msg_key text NOT NULL,
        msg_param jsonb NOT NULL,
        delivery_policy text NOT NULL,
        recipient_count int NOT NULL,
        duplicates_removed int NOT NULL,
        batch_count int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await q.query(`CREATE INDEX sends_created_at_idx ON sends (created_at, id)`);

    await q.query(`
      CREATE TABLE batches (
        id uuid PRIMARY KEY,
        send_id uuid NOT NULL,
        seq int NOT NULL,
        status text NOT NULL,
        user_ids text[] NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        ambiguous_attempts int NOT NULL DEFAULT 0,
        parent_batch_id uuid,
        not_before timestamptz,
        process_query_key text,
        dingtalk_request_id text,
        last_error_code text,
        last_error_message text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        CONSTRAINT batches_send_id_fkey FOREIGN KEY (send_id) REFERENCES sends (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX batches_send_seq_key ON batches (send_id, seq)`);
    // The reconciler scans for open batches; a partial index keeps that cheap however much history piles up.
    await q.query(`CREATE INDEX batches_open_idx ON batches (updated_at) WHERE status IN ('pending', 'in_flight')`);

    await q.query(`
      CREATE TABLE recipients (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        send_id uuid NOT NULL,
        user_id text NOT NULL,
        batch_id uuid NOT NULL,
        status text NOT NULL,
        reason_code text,
        reason_message text,
        process_query_key text,
        attempts int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        CONSTRAINT recipients_send_id_fkey FOREIGN KEY (send_id) REFERENCES sends (id) ON DELETE CASCADE,
        CONSTRAINT recipients_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES batches (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX recipients_send_user_key ON recipients (send_id, user_id)`);
    await q.query(`CREATE INDEX recipients_send_status_idx ON recipients (send_id, status, id)`);
    await q.query(`CREATE INDEX recipients_batch_idx ON recipients (batch_id)`);
    await q.query(`CREATE INDEX recipients_user_idx ON recipients (user_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE recipients`);
    await q.query(`DROP TABLE batches`);
    await q.query(`DROP TABLE sends`);
  }
}
