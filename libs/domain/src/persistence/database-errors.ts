import { DatabaseSetupError } from './schema-checks.js';
import { roleOfUrl } from './database-roles.js';

/**
 * A start-up failure to connect, said in terms of what to configure: a missing runtime role is the one an upgrade
 * to separate roles meets first. Anything else is returned as it is.
 */
export function explainDatabaseError(error: unknown, urls: { DATABASE_URL: string; DATABASE_MIGRATION_URL?: string }): unknown {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== '28000' && code !== '28P01') return error;
  const missing = /role "([^"]+)" does not exist/.exec(String(message))?.[1];
  const role = missing ?? safeRole(urls.DATABASE_URL);
  const variable = urls.DATABASE_MIGRATION_URL && safeRole(urls.DATABASE_MIGRATION_URL) === role ? 'DATABASE_MIGRATION_URL' : 'DATABASE_URL';
  if (missing && variable === 'DATABASE_URL') {
    return new DatabaseSetupError(
      `the runtime role "${role}" named by DATABASE_URL does not exist. Create it once, as a superuser or a role with ` +
        `CREATEROLE: CREATE ROLE "${role}" LOGIN PASSWORD '…'; then start with DATABASE_MIGRATION_URL set to the schema ` +
        `owner's URL, whose migrations grant it what the apps need (README: "Least privilege in Postgres")`,
    );
  }
  return new DatabaseSetupError(`${variable} was refused: ${String(message)} (check the role "${role}" and its password)`);
}

function safeRole(url: string): string {
  try {
    return roleOfUrl(url);
  } catch {
    return '?';
  }
}
