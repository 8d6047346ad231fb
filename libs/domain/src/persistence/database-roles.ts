/**
 * dingrelay connects to Postgres as two roles: the schema owner runs migrations (DATABASE_MIGRATION_URL), and a
 * runtime role with only the privileges the apps need serves requests and jobs (DATABASE_URL). The runtime role is
 * a cluster object the operator (or `npm start`, or the test kit) creates; the migrations grant it what it may do.
 */

/** The session setting through which `runMigrations` tells migrations whom to grant to (see `runtimeRoleOf`). */
export const RUNTIME_ROLE_SETTING = 'dingrelay.runtime_role';

/** The role a connection URL logs in as (`postgres://<role>:…@host/db`); Postgres' own default when none is named. */
export function roleOfUrl(url: string): string {
  const user = decodeURIComponent(new URL(url).username);
  return user || process.env['PGUSER'] || process.env['USER'] || 'postgres';
}

/** `url` logging in as `role` (with `password`, or none: trust or peer authentication, or a .pgpass entry). */
export function urlWithRole(url: string, role: string, password?: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(role);
  parsed.password = password === undefined ? '' : encodeURIComponent(password);
  return parsed.toString();
}

/** The database a connection URL names. */
export function databaseOfUrl(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}
