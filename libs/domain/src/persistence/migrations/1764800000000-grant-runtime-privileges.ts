import type { MigrationInterface, QueryRunner } from 'typeorm';
import { quoteIdent, runtimeRoleOf } from './runtime-role.js';

/**
 * What the apps' runtime role (DATABASE_URL) may do, table by table, and nothing more: no DDL (it owns nothing, and
 * may not create in the schema), no TRUNCATE anywhere, and on the audit log only INSERT of the columns a caller
 * describes and SELECT. `occurred_at` is stamped by the database for every inserter, the owner included.
 *
 * Each table's privileges follow from the statements that use it (libs/domain/src): UPDATE where a row changes,
 * DELETE only where rows are removed (retention's recipients, deleted chat configurations, cleared plugins).
 */
const TABLE_PRIVILEGES: Record<string, string> = {
  sends: 'SELECT, INSERT, UPDATE',
  batches: 'SELECT, INSERT, UPDATE',
  recipients: 'SELECT, INSERT, UPDATE, DELETE',
  send_events: 'SELECT, INSERT, UPDATE', // retention strips user ids from the timeline's details
  delivery_pauses: 'SELECT, INSERT, UPDATE',
  dingtalk_usage: 'SELECT, INSERT, UPDATE',
  api_keys: 'SELECT, INSERT, UPDATE', // revocation and last use; keys are never deleted
  chat_configurations: 'SELECT, INSERT, UPDATE, DELETE',
  chat_configuration_plugins: 'SELECT, INSERT, UPDATE, DELETE',
  inbound_messages: 'SELECT, INSERT',
  migrations: 'SELECT', // the apps check that the schema is current; only the owner migrates
};

/** The audit log's columns a caller supplies. The database sets the rest (id, occurred_at). */
export const AUDIT_EVENT_INSERT_COLUMNS = [
  'actor_key_id',
  'actor_name',
  'actor_role',
  'action',
  'target_type',
  'target_id',
  'request_id',
  'outcome',
  'details',
] as const;

export class GrantRuntimePrivileges1764800000000 implements MigrationInterface {
  name = 'GrantRuntimePrivileges1764800000000';

  async up(q: QueryRunner): Promise<void> {
    // Whoever inserts, the time is the database's: a caller cannot backdate (or postdate) an event.
    await q.query(`
      CREATE FUNCTION audit_events_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.occurred_at := clock_timestamp();
        RETURN NEW;
      END
      $$`);
    await q.query(`CREATE TRIGGER audit_events_stamp BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_stamp()`);

    // Before Postgres 15 every role may create tables in `public`; nobody but the owner should. (A warning, not an
    // error, when the migrating role does not own the schema: then its owner has to do this.)
    await q.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);

    const role = await runtimeRoleOf(q);
    if (role === null) return;
    const grantee = quoteIdent(role);
    await q.query(`GRANT USAGE ON SCHEMA public TO ${grantee}`);
    for (const [table, privileges] of Object.entries(TABLE_PRIVILEGES)) {
      await q.query(`GRANT ${privileges} ON ${table} TO ${grantee}`);
    }
    await q.query(`GRANT SELECT ON audit_events TO ${grantee}`);
    await q.query(`GRANT INSERT (${AUDIT_EVENT_INSERT_COLUMNS.join(', ')}) ON audit_events TO ${grantee}`);
  }

  async down(q: QueryRunner): Promise<void> {
    const role = await runtimeRoleOf(q);
    if (role !== null) {
      const grantee = quoteIdent(role);
      for (const table of [...Object.keys(TABLE_PRIVILEGES), 'audit_events']) await q.query(`REVOKE ALL ON ${table} FROM ${grantee}`);
      await q.query(`REVOKE USAGE ON SCHEMA public FROM ${grantee}`);
    }
    await q.query(`DROP TRIGGER audit_events_stamp ON audit_events`);
    await q.query(`DROP FUNCTION audit_events_stamp()`);
  }
}
