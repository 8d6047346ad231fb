import { type DynamicModule, Inject, Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { dataSourceOptions, type DatabaseSettings } from './data-source.options.js';
import { roleOfUrl } from './database-roles.js';
import { runMigrations } from './run-migrations.js';
import { assertSchemaCurrent, checkLeastPrivilege } from './schema-checks.js';

const DATABASE_SETTINGS = Symbol('DATABASE_SETTINGS');

export interface DatabaseModuleOptions extends DatabaseSettings {
  /**
   * Check the database at start-up before serving (the api and worker do): with `migrationUrl`, apply pending
   * migrations as the owner first (the lock serialises concurrent starts); then refuse a schema this build does not
   * match and a runtime role with more privileges than it needs.
   */
  migrate: boolean;
  /** The schema owner (DATABASE_MIGRATION_URL). Used for migrations only, on a connection closed right after. */
  migrationUrl?: string;
  /** DATABASE_ALLOW_PRIVILEGED_ROLE: warn about a superuser or owner as DATABASE_URL instead of refusing it. */
  allowPrivilegedRole?: boolean;
  /** DEFAULT_CHAT_CONFIGURATION_NAME, for the migrations that treat it specially (see RunMigrationsOptions). */
  defaultChatConfiguration?: string;
}

@Injectable()
class PrepareDatabaseOnStart implements OnModuleInit {
  private readonly logger = new Logger('Migrations');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DATABASE_SETTINGS) private readonly settings: DatabaseModuleOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.settings.migrate) return;
    const runtimeRole = roleOfUrl(this.settings.url);
    if (this.settings.migrationUrl) {
      const owner = await new DataSource(
        dataSourceOptions({ url: this.settings.migrationUrl, poolSize: 1, applicationName: `${this.settings.applicationName ?? 'dingrelay'}-migrate` }),
      ).initialize();
      try {
        const applied = await runMigrations(owner, { runtimeRole, defaultChatConfiguration: this.settings.defaultChatConfiguration });
        if (applied.length > 0) this.logger.log(`applied ${applied.join(', ')} (as ${roleOfUrl(this.settings.migrationUrl)}, granting to ${runtimeRole})`);
      } finally {
        await owner.destroy();
      }
    }
    await assertSchemaCurrent(this.dataSource, runtimeRole);
    await checkLeastPrivilege(this.dataSource, {
      allowPrivileged: this.settings.allowPrivilegedRole ?? false,
      warn: (message) => this.logger.warn(message),
    });
  }
}

/**
 * The Postgres connection for one process (as the runtime role), with the schema checked, and brought up to date by
 * the owner when given its URL, at start-up. Global, and re-exports the audit trail and send timeline: whatever
 * writes to the database can record in the same transaction.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(options), retryAttempts: 0 }), AuditModule],
      providers: [{ provide: DATABASE_SETTINGS, useValue: options }, PrepareDatabaseOnStart],
      exports: [AuditModule],
    };
  }
}
