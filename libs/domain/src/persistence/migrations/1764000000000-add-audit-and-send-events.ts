import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log (append-only, enforced by the database), each send's timeline, who requested a send, and what
 * retention keeps of a send once its recipient-level detail is purged.
 */
export class AddAuditAndSendEvents1764000000000 implements MigrationInterface {
  name = 'AddAuditAndSendEvents1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_key_id uuid,
        actor_name text NOT NULL,
        actor_role text,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text NOT NULL,
        request_id text,
        outcome text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    // Pages are newest first by id; each filter has an index that walks it in that order.
    await q.query(`CREATE INDEX audit_events_occurred_at_idx ON audit_events (occurred_at)`);
    await q.query(`CREATE INDEX audit_events_actor_idx ON audit_events (actor_key_id, id)`);
    await q.query(`CREATE INDEX audit_events_target_idx ON audit_events (target_type, target_id, id)`);
    await q.query(`CREATE INDEX audit_events_action_idx ON audit_events (action, id)`);
    // Append-only whoever connects: the application's own role included. Dropping the table (a migration's down)
    // still works; changing history does not.
    await q.query(`
      CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER audit_events_refuse_update_delete BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()`);
    await q.query(`
      CREATE TRIGGER audit_events_refuse_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()`);

    // No foreign keys: the delivery hot path appends here, and a key share lock on the send row would join the lock
    // order the settlements rely on. Sends are never deleted; retention strips details instead.
    await q.query(`
      CREATE TABLE send_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        send_id uuid NOT NULL,
        batch_id uuid,
        type text NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX send_events_send_idx ON send_events (send_id, id)`);

    await q.query(`ALTER TABLE sends ADD COLUMN requested_by_key_id uuid`);
    await q.query(`ALTER TABLE sends ADD COLUMN requested_by text`);
    // Recipients per status, stored before retention deletes the rows they were counted from.
    await q.query(`ALTER TABLE sends ADD COLUMN recipient_summary jsonb`);
    await q.query(`ALTER TABLE sends ADD COLUMN recipients_purged_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sends DROP COLUMN recipients_purged_at`);
    await q.query(`ALTER TABLE sends DROP COLUMN recipient_summary`);
    await q.query(`ALTER TABLE sends DROP COLUMN requested_by`);
    await q.query(`ALTER TABLE sends DROP COLUMN requested_by_key_id`);
    await q.query(`DROP TABLE send_events`);
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP FUNCTION audit_events_refuse_change()`);
  }
}
