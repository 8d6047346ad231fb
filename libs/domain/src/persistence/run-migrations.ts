import { type DataSource, MigrationExecutor } from 'typeorm';
import { RUNTIME_ROLE_SETTING } from './database-roles.js';
import { DEFAULT_CONFIGURATION_SETTING } from './migrations/default-configuration-name.js';

/** Any constant works; it only has to be the same in every process that migrates this database. */
const MIGRATION_LOCK_KEY = 7_363_108_001;

export interface RunMigrationsOptions {
  /**
   * The role the apps run as (DATABASE_URL's): migrations grant it what it needs. Default: the role `dataSource`
   * connects as, i.e. no separate runtime role (the owner needs no grants).
   */
  runtimeRole?: string;
  /**
   * DEFAULT_CHAT_CONFIGURATION_NAME: migrations that clean up sender scopes leave this name alone (a key may name it
   * before the first start creates its row). Default: `default`, the variable's own default.
   */
  defaultChatConfiguration?: string;
}

/**
 * Runs pending migrations as the schema owner (the role `dataSource` connects as) under a Postgres advisory lock:
 * the api and the worker (and parallel test suites) start together and would otherwise race to create the same
 * tables.
 */
export async function runMigrations(dataSource: DataSource, options: RunMigrationsOptions = {}): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    // For the session: migrations read it through runtimeRoleOf().
    await runner.query(`SELECT set_config($1, coalesce($2, current_user), false)`, [RUNTIME_ROLE_SETTING, options.runtimeRole ?? null]);
    await runner.query(`SELECT set_config($1, coalesce($2, ''), false)`, [DEFAULT_CONFIGURATION_SETTING, options.defaultChatConfiguration ?? null]);
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      // On the connection that holds the lock: a second one may not exist (a pool of one) and would deadlock.
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      await runner.query(`SELECT set_config($1, '', false)`, [RUNTIME_ROLE_SETTING]);
      await runner.query(`SELECT set_config($1, '', false)`, [DEFAULT_CONFIGURATION_SETTING]);
    }
  } finally {
    await runner.release();
  }
}
