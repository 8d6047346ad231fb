import 'reflect-metadata';
import {
  ConfigError,
  DatabaseSetupError,
  DEFAULT_CHAT_CONFIGURATION_NAME,
  dataSourceOptions,
  explainDatabaseError,
  InfrastructureConfig,
  roleOfUrl,
  runMigrations,
  validateConfig,
} from '@dingrelay/domain';
import { DataSource } from 'typeorm';

/**
 * `npm run db:migrate`: applies pending migrations as the schema owner (DATABASE_MIGRATION_URL) and grants the
 * runtime role (DATABASE_URL's) its privileges, then exits. For deployments where no long-running process holds the
 * owner's credentials: the api and worker, started without DATABASE_MIGRATION_URL, only check that none is pending.
 */
async function main(): Promise<number> {
  const config = validateConfig(InfrastructureConfig, process.env);
  if (!config.DATABASE_MIGRATION_URL) {
    process.stderr.write('db:migrate needs DATABASE_MIGRATION_URL (the schema owner) and DATABASE_URL (the runtime role to grant to)\n');
    return 2;
  }
  const runtimeRole = roleOfUrl(config.DATABASE_URL);
  const owner = await new DataSource(dataSourceOptions({ url: config.DATABASE_MIGRATION_URL, poolSize: 1, applicationName: 'dingrelay-migrate' })).initialize();
  try {
    // The name the api and worker are given; migrations that clean up sender scopes leave it alone (README, "Upgrading").
    const defaultChatConfiguration = process.env['DEFAULT_CHAT_CONFIGURATION_NAME'] || DEFAULT_CHAT_CONFIGURATION_NAME;
    const applied = await runMigrations(owner, { runtimeRole, defaultChatConfiguration });
    process.stderr.write(applied.length > 0 ? `applied ${applied.join(', ')}; runtime role ${runtimeRole}\n` : 'nothing to apply\n');
    return 0;
  } finally {
    await owner.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (thrown: unknown) => {
    const error = explainDatabaseError(thrown, { DATABASE_URL: process.env['DATABASE_URL'] ?? '', DATABASE_MIGRATION_URL: process.env['DATABASE_MIGRATION_URL'] });
    const message = error instanceof ConfigError || error instanceof DatabaseSetupError ? error.message : `db:migrate failed: ${(error as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
