import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Makes the audit log tamper-evident: each event carries its position in one chain, the previous event's hash and
 * its own, SHA-256 over its canonical content (libs/domain/src/audit/chain/audit-event-canonical.ts documents the
 * form; `audit_event_canonical` below is the same, and a test holds the two together).
 *
 * The database links each event as it is inserted, in the inserting transaction (which is the transaction of the
 * change it reports): a BEFORE INSERT trigger locks the chain's head row, stamps `occurred_at`, takes the next
 * position and hash, and moves the head. Appends from any number of processes thus form one chain in commit order,
 * and a transaction that rolls back leaves no gap. The trigger runs as the owner (SECURITY DEFINER): the runtime role
 * has no privilege on the head row and cannot move it.
 *
 * Events recorded before this migration are chained here, in id order.
 */
export class ChainAuditEvents1764900000000 implements MigrationInterface {
  name = 'ChainAuditEvents1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events ADD COLUMN chain_position bigint, ADD COLUMN prev_hash text, ADD COLUMN hash text`);
    await q.query(`
      CREATE TABLE audit_chain_head (
        id int PRIMARY KEY CHECK (id = 1),
        position bigint NOT NULL,
        hash text NOT NULL
      )`);

    // One element of the canonical array: a JSON string, or null.
    await q.query(`
      CREATE FUNCTION audit_json_text(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT coalesce(to_json(value)::text, 'null') $$`);
    await q.query(`
      CREATE FUNCTION audit_event_canonical(e audit_events) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
      SELECT '[' || concat_ws(',',
        audit_json_text('dingrelay.audit.v1'),
        audit_json_text(e.chain_position::text),
        audit_json_text(e.prev_hash),
        audit_json_text(e.id::text),
        audit_json_text(to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
        audit_json_text(e.actor_key_id::text),
        audit_json_text(e.actor_name),
        audit_json_text(e.actor_role),
        audit_json_text(e.action),
        audit_json_text(e.target_type),
        audit_json_text(e.target_id),
        audit_json_text(e.request_id),
        audit_json_text(e.outcome),
        audit_json_text(e.details::text)) || ']'
      $$`);
    await q.query(`
      CREATE FUNCTION audit_event_hash(e audit_events) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT encode(sha256(convert_to(audit_event_canonical(e), 'UTF8')), 'hex') $$`);

    // Existing events, oldest first; the append-only trigger steps aside inside this transaction only.
    await q.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_refuse_update_delete`);
    await q.query(`
      DO $$
      DECLARE
        e audit_events;
        n bigint := 0;
        previous text := repeat('0', 64);
      BEGIN
        FOR e IN SELECT * FROM audit_events ORDER BY id LOOP
          n := n + 1;
          e.chain_position := n;
          e.prev_hash := previous;
          previous := audit_event_hash(e);
          UPDATE audit_events SET chain_position = n, prev_hash = e.prev_hash, hash = previous WHERE id = e.id;
        END LOOP;
        INSERT INTO audit_chain_head (id, position, hash) VALUES (1, n, previous);
      END
      $$`);
    await q.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_refuse_update_delete`);
    await q.query(`ALTER TABLE audit_events ALTER COLUMN chain_position SET NOT NULL, ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX audit_events_chain_position_idx ON audit_events (chain_position)`);

    // The insert trigger of 1764800000000, now also linking the event into the chain.
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_events_stamp() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      DECLARE
        head audit_chain_head;
      BEGIN
        -- Held until the inserting transaction ends: the next append waits, then reads this one's head.
        SELECT * INTO STRICT head FROM audit_chain_head WHERE id = 1 FOR UPDATE;
        NEW.occurred_at := clock_timestamp();
        NEW.chain_position := head.position + 1;
        NEW.prev_hash := head.hash;
        NEW.hash := audit_event_hash(NEW);
        UPDATE audit_chain_head SET position = NEW.chain_position, hash = NEW.hash WHERE id = 1;
        RETURN NEW;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_events_stamp() RETURNS trigger LANGUAGE plpgsql SECURITY INVOKER AS $$
      BEGIN
        NEW.occurred_at := clock_timestamp();
        RETURN NEW;
      END
      $$`);
    await q.query(`DROP INDEX audit_events_chain_position_idx`);
    await q.query(`ALTER TABLE audit_events DROP COLUMN chain_position, DROP COLUMN prev_hash, DROP COLUMN hash`);
    await q.query(`DROP FUNCTION audit_event_hash(audit_events)`);
    await q.query(`DROP FUNCTION audit_event_canonical(audit_events)`);
    await q.query(`DROP FUNCTION audit_json_text(text)`);
    await q.query(`DROP TABLE audit_chain_head`);
  }
}
