import pg from 'pg';
import { DataSource } from 'typeorm';
import { prepareTestDatabase, testOwnerUrl } from '@dingrelay/testing';
import { AuditTrail, checkLeastPrivilege, DatabaseSetupError, dataSourceOptions, systemActor } from '../src/index.js';
import { openTestDataSource } from './support/delivery-harness.js';

/**
 * The apps run as the database's runtime role (the test kit's DATABASE_URL), which the migrations grant only what
 * the apps need. Whatever it tries beyond appending to the audit log is refused by Postgres itself; issue #13
 * reproduced each of these as the superuser the apps used to connect as.
 */
describe('the runtime role', () => {
  let runtime: pg.Client;
  let owner: DataSource;
  let eventId: string;

  beforeAll(async () => {
    const runtimeUrl = await prepareTestDatabase();
    expect(testOwnerUrl(runtimeUrl)).not.toBe(runtimeUrl);
    runtime = new pg.Client({ connectionString: runtimeUrl });
    await runtime.connect();
    owner = await openTestDataSource(runtimeUrl);
    const marker = `least-privilege-${Date.now()}`;
    await new AuditTrail().record(owner.manager, { actor: systemActor('test'), action: 'test.append', targetType: 'test', targetId: marker });
    [{ id: eventId }] = await owner.query(`SELECT id::text AS id FROM audit_events WHERE target_id = $1`, [marker]);
  });

  afterAll(async () => {
    await runtime?.end();
    await owner?.destroy();
  });

  /** Runs `sql` as the runtime role in a transaction rolled back whatever happens; resolves with Postgres' error. */
  async function refusal(sql: string, params: unknown[] = []): Promise<{ code?: string; message: string } | undefined> {
    await runtime.query('BEGIN');
    try {
      await runtime.query(sql, params);
      return undefined;
    } catch (error) {
      return error as { code?: string; message: string };
    } finally {
      await runtime.query('ROLLBACK');
    }
  }

  it('is not a superuser and owns nothing', async () => {
    const { rows } = await runtime.query(
      `SELECT r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls,
              (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owned
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    expect(rows).toEqual([{ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false, owned: 0 }]);
  });

  it('may append to the audit log and read it', async () => {
    const marker = `runtime-append-${Date.now()}`;
    await runtime.query('BEGIN');
    await runtime.query(
      `INSERT INTO audit_events (actor_key_id, actor_name, actor_role, action, target_type, target_id, request_id, outcome, details)
       VALUES (NULL, 'system:test', NULL, 'test.append', 'test', $1, NULL, 'succeeded', '{}')`,
      [marker],
    );
    await runtime.query('COMMIT');
    const { rows } = await runtime.query(`SELECT action FROM audit_events WHERE target_id = $1`, [marker]);
    expect(rows).toEqual([{ action: 'test.append' }]);
  });

  it.each([
    ['UPDATE an audit event', `UPDATE audit_events SET outcome = 'failed' WHERE id = $1`, true],
    ['DELETE an audit event', `DELETE FROM audit_events WHERE id = $1`, true],
    ['TRUNCATE the audit log', `TRUNCATE audit_events`, false],
    ['turn triggers off for the session', `SET session_replication_role = replica`, false],
    ['turn triggers off for the session (SET LOCAL)', `SET LOCAL session_replication_role = replica`, false],
    ['disable the audit log\'s triggers', `ALTER TABLE audit_events DISABLE TRIGGER ALL`, false],
    ['drop one of its triggers', `DROP TRIGGER audit_events_refuse_update_delete ON audit_events`, false],
    ['backdate an event', `INSERT INTO audit_events (occurred_at, actor_name, action, target_type, target_id, outcome) VALUES ('2020-01-01', 'x', 'x', 'x', 'x', 'succeeded')`, false],
    ['create a table', `CREATE TABLE runtime_probe (id int)`, false],
    ['alter a table', `ALTER TABLE sends ADD COLUMN runtime_probe int`, false],
    ['drop a table', `DROP TABLE inbound_messages`, false],
    ['TRUNCATE any table', `TRUNCATE sends CASCADE`, false],
    ['rewrite the migrations', `DELETE FROM migrations`, false],
  ])('may not %s', async (_what, sql, withId) => {
    const error = await refusal(sql, withId ? [eventId] : []);
    expect(error).toMatchObject({ code: '42501' }); // insufficient_privilege
  });

  it('leaves the event it could not touch as it was', async () => {
    const [row] = await owner.query(`SELECT outcome FROM audit_events WHERE id = $1`, [eventId]);
    expect(row).toEqual({ outcome: 'succeeded' });
  });

  it('passes the apps\' start-up check; the owner (a superuser here) is refused by it, naming the fix', async () => {
    const runtimeSource = await openRuntimeDataSource();
    try {
      await expect(checkLeastPrivilege(runtimeSource, { allowPrivileged: false, warn: () => undefined })).resolves.toMatchObject({
        superuser: false,
        canRewriteAudit: false,
        canCreate: false,
      });
    } finally {
      await runtimeSource.destroy();
    }
    const refused = checkLeastPrivilege(owner, { allowPrivileged: false, warn: () => undefined });
    await expect(refused).rejects.toThrow(DatabaseSetupError);
    await expect(refused).rejects.toThrow(/is a superuser.*DATABASE_MIGRATION_URL/);
    const warnings: string[] = [];
    await checkLeastPrivilege(owner, { allowPrivileged: true, warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([expect.stringContaining('DATABASE_ALLOW_PRIVILEGED_ROLE=true')]);
  });
});

/** The database's `occurred_at` is the database's own, for the owner too: the trigger stamps it at insert. */
describe('audit_events.occurred_at', () => {
  it('is the time of the insert whatever the inserter passes, superuser included', async () => {
    const owner = await openTestDataSource();
    try {
      const marker = `backdate-${Date.now()}`;
      await owner.query(
        `INSERT INTO audit_events (occurred_at, actor_name, action, target_type, target_id, outcome) VALUES ('2020-01-01T00:00:00Z', 'x', 'test.backdate', 'test', $1, 'succeeded')`,
        [marker],
      );
      const [row] = await owner.query(`SELECT occurred_at FROM audit_events WHERE target_id = $1`, [marker]);
      expect(Math.abs(Date.now() - new Date(row.occurred_at).getTime())).toBeLessThan(60_000);
    } finally {
      await owner.destroy();
    }
  });
});

async function openRuntimeDataSource(): Promise<DataSource> {
  return new DataSource(dataSourceOptions({ url: await prepareTestDatabase(), poolSize: 1 })).initialize();
}
