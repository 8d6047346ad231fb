import type { DataSource } from 'typeorm';
import { MIGRATIONS } from './data-source.options.js';

/** Thrown at start-up when the database cannot serve this version of the apps as configured; says what to do. */
export class DatabaseSetupError extends Error {
  override readonly name = 'DatabaseSetupError';
}

/** Migrations this build knows that the database has not applied (read with the runtime role: SELECT only). */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const [{ exists }]: { exists: boolean }[] = await dataSource.query(`SELECT to_regclass('migrations') IS NOT NULL AS exists`);
  const applied = new Set<string>(
    exists ? ((await dataSource.query(`SELECT name FROM migrations`)) as { name: string }[]).map((r) => r.name) : [],
  );
  return MIGRATIONS.map((m) => m.name).filter((name) => !applied.has(name));
}

/** Refuses to start on a schema older than this build: the runtime role cannot change it, the owner must. */
export async function assertSchemaCurrent(dataSource: DataSource, role: string): Promise<void> {
  const pending = await pendingMigrations(dataSource);
  if (pending.length === 0) return;
  throw new DatabaseSetupError(
    `the database schema is not up to date: ${pending.length} migration(s) pending (${pending.join(', ')}). ` +
      `DATABASE_URL's role "${role}" may not change the schema; migrations run as the schema owner: set ` +
      `DATABASE_MIGRATION_URL to the owner's connection URL and start the api again (it migrates first), or run ` +
      `\`npm run db:migrate\` with it (README: "Least privilege in Postgres")`,
  );
}

/** What the connected role could do to the audit log, beyond appending to it. */
export interface RolePrivileges {
  role: string;
  superuser: boolean;
  /** Owns audit_events (could drop or disable its triggers) or may UPDATE, DELETE or TRUNCATE it. */
  canRewriteAudit: boolean;
  /** May create objects in the public schema. */
  canCreate: boolean;
}

export async function rolePrivileges(dataSource: DataSource): Promise<RolePrivileges> {
  const [row]: RolePrivileges[] = await dataSource.query(`
    SELECT current_user AS role,
           r.rolsuper AS superuser,
           (pg_has_role(current_user, c.relowner, 'USAGE')
             OR has_table_privilege('audit_events', 'UPDATE')
             OR has_table_privilege('audit_events', 'DELETE')
             OR has_table_privilege('audit_events', 'TRUNCATE')) AS "canRewriteAudit",
           has_schema_privilege('public', 'CREATE') AS "canCreate"
      FROM pg_roles r, pg_class c
     WHERE r.rolname = current_user AND c.oid = 'audit_events'::regclass`);
  if (!row) throw new DatabaseSetupError('could not read the privileges of DATABASE_URL\'s role');
  return row;
}

/**
 * Refuses a runtime role that could rewrite the audit log or change the schema (a superuser, the tables' owner):
 * least privilege is the point of the two roles, and a misconfiguration should fail at start, not at an audit.
 * `allowPrivileged` (DATABASE_ALLOW_PRIVILEGED_ROLE) turns the refusal into a warning, for a deliberate exception.
 */
export async function checkLeastPrivilege(
  dataSource: DataSource,
  options: { allowPrivileged: boolean; warn: (message: string) => void },
): Promise<RolePrivileges> {
  const privileges = await rolePrivileges(dataSource);
  const excess = [
    privileges.superuser && 'is a superuser',
    privileges.canRewriteAudit && 'can change or remove audit events (it owns audit_events or may UPDATE, DELETE or TRUNCATE it)',
    privileges.canCreate && 'may create objects in the schema',
  ].filter((s): s is string => typeof s === 'string');
  if (excess.length === 0) return privileges;
  const message =
    `DATABASE_URL connects as "${privileges.role}", which ${excess.join(' and ')}. The api and worker run as a runtime ` +
    `role with only the privileges the migrations grant it; migrations run as the owner (DATABASE_MIGRATION_URL). ` +
    `Create one (CREATE ROLE dingrelay_app LOGIN PASSWORD '…'), point DATABASE_URL at it and DATABASE_MIGRATION_URL at the ` +
    `owner (README: "Least privilege in Postgres")`;
  if (!options.allowPrivileged) throw new DatabaseSetupError(message);
  options.warn(`${message}. Starting anyway: DATABASE_ALLOW_PRIVILEGED_ROLE=true`);
  return privileges;
}
