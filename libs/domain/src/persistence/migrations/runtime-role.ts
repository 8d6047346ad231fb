import type { QueryRunner } from 'typeorm';
import { RUNTIME_ROLE_SETTING } from '../database-roles.js';

/**
 * The runtime role a migration grants to, as `runMigrations` set it on the migrating connection (DATABASE_URL's
 * role). Null when it is the migrating role itself: an owner needs no grants. Fails, naming the fix, when no runtime
 * role was named or it does not exist: a migration that grants nothing would leave the apps unable to start.
 */
export async function runtimeRoleOf(q: QueryRunner): Promise<string | null> {
  const [row]: { role: string | null; me: string; exists: boolean }[] = await q.query(
    `SELECT nullif(current_setting($1, true), '') AS role, current_user AS me,
            EXISTS (SELECT 1 FROM pg_roles WHERE rolname = nullif(current_setting($1, true), '')) AS exists`,
    [RUNTIME_ROLE_SETTING],
  );
  if (!row?.role) {
    throw new Error(
      `no runtime role to grant to: run migrations through runMigrations() with the runtime role (the role of DATABASE_URL), ` +
        `e.g. by starting the api with DATABASE_URL and DATABASE_MIGRATION_URL set`,
    );
  }
  if (row.role === row.me) return null;
  if (!row.exists) {
    throw new Error(
      `the runtime role "${row.role}" (the role of DATABASE_URL) does not exist: create it first, as a superuser or a role with CREATEROLE: ` +
        `CREATE ROLE "${row.role}" LOGIN PASSWORD '…'  (README: "Least privilege in Postgres")`,
    );
  }
  return row.role;
}

/** A role name quoted as an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
